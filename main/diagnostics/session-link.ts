import type { LinkStats } from '../api/diagnostics.js';
import { WattletError } from '../api/errors.js';
import { Emitter, type ListenerErrorHandler } from '../lifecycle/emitter.js';
import type { LineSettings } from '../meter/index.js';
import type { MeterSession, SessionState } from '../meter/session/index.js';
import { namingDevice } from './naming-device.js';

/** Where the diagnostics page reads the active link from. Null when no link was ever opened. */
export interface LinkSource {
  linkStats(): LinkStats | null;
}

/** What diagnostics reads of a MeterSession: its data and its events, nothing it must decode. */
export type SessionLike = Pick<MeterSession, 'status' | 'target' | 'linkPort' | 'lastByteAt' | 'onState' | 'onLink' | 'onFrame'>;

export interface SessionLinkOptions {
  /** The discovery id of the adapter the session reads (the wiring knows it; null if not). */
  readonly deviceId: () => string | null;
  readonly now?: () => number;
  /** Where a throwing `onFailed` listener's error goes (the composition root's logger). */
  readonly onListenerError?: ListenerErrorHandler;
}

const stateMap: Record<SessionState, LinkStats['state']> = {
  idle: 'idle',
  connecting: 'connecting',
  detecting: 'connecting',
  reading: 'open',
  waiting: 'reconnecting',
  stopped: 'closed',
};

const NO_LINE_ERRORS = { overrun: 0, parity: 0, framing: 0, break: 0 };

/**
 * The active link as diagnostics shows it, read from the session: its one count (frames,
 * checksum and framing errors, timeouts, reconnects with times — they survive reconnects), the
 * port's own counters (UART line errors, bytes), and the line and failures the session
 * published as data. It counts nothing itself.
 */
export class SessionLink implements LinkSource {
  readonly #session: SessionLike;
  readonly #options: SessionLinkOptions;
  readonly #failed: Emitter<{ readonly error: unknown; readonly at: number }>;
  readonly #offs: Array<() => void>;
  #openedAt: number | null = null;
  #lastError: LinkStats['lastError'] = null;
  #lastLine: LineSettings | null = null;

  constructor(session: SessionLike, options: SessionLinkOptions) {
    this.#session = session;
    this.#options = options;
    this.#failed = new Emitter(options.onListenerError ? { onListenerError: options.onListenerError } : {});
    const now = options.now ?? Date.now;
    if (session.status().state === 'reading') this.#openedAt = now();
    this.#offs = [
      session.onState((s) => {
        if (s.state === 'reading') this.#openedAt ??= now();
        else this.#openedAt = null;
      }),
      session.onLink((e) => {
        if (e.kind === 'opened' || e.kind === 'line') this.#lastLine = e.line;
        else if (e.kind === 'failed') {
          const error = namingDevice(e.error, this.#options.deviceId());
          this.#lastError =
            error instanceof WattletError ? error.toJSON() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), facts: {} };
          this.#failed.fire({ error, at: e.at });
        }
      }),
    ];
  }

  /** Every link failure (open refused, device gone …), naming the device: diagnostics keeps them as recent errors. */
  onFailed(listener: (error: unknown, at: number) => void): () => void {
    const s = this.#failed.event(({ error, at }) => listener(error, at));
    return () => s.dispose();
  }

  linkStats(): LinkStats | null {
    const st = this.#session.status();
    const port = this.#session.linkPort;
    if (st.state === 'idle' && !port) return null;
    const c = st.counters;
    const target = this.#session.target;
    const line = target?.line ?? this.#lastLine;
    const failed = this.#lastError;
    return {
      state: stateMap[st.state],
      // Named once the session has held it: an adapter it was never let open is not in use by it
      // (the USB tree then checks its access, and shows the permission problem).
      deviceId: port ? this.#options.deviceId() : null,
      family: port?.family ?? null,
      path: port?.path ?? null,
      protocol: target?.protocol ?? null,
      line: line ? { ...line } : null,
      openedAt: this.#openedAt,
      bytesIn: port?.stats.bytesIn ?? 0,
      bytesOut: port?.stats.bytesOut ?? 0,
      lineErrors: { ...(port?.stats.lineErrors ?? NO_LINE_ERRORS) },
      framesOk: c.framesOk,
      checksumErrors: c.checksumErrors,
      framingErrors: c.framingErrors,
      timeouts: c.timeouts,
      lastByteAt: this.#session.lastByteAt,
      lastFrameAt: c.lastFrameAt,
      reconnects: c.recentReconnects.map((r) => ({ at: r.at, reason: r.reason })),
      // The failure with its facts while it is still the latest word; else the code the count kept.
      lastError:
        failed && (c.lastErrorCode === null || failed.code === c.lastErrorCode)
          ? failed
          : c.lastErrorCode
            ? { code: c.lastErrorCode, message: c.lastErrorCode, facts: {} }
            : null,
    };
  }

  dispose(): void {
    for (const off of this.#offs) off();
    this.#failed.dispose();
  }
}
