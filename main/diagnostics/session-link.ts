import type { LinkStats } from '../api/diagnostics.js';
import { parseFormat, type LineSettings } from '../meter/index.js';
import type { SessionState, SessionStatus } from '../meter/session/index.js';
import type { LinkMonitor, LinkSource } from './link-monitor.js';

/** What diagnostics reads of a MeterSession. */
export interface SessionLike {
  status(): SessionStatus;
  onState(listener: (s: SessionStatus) => void): () => void;
}

const stateMap: Record<SessionState, LinkStats['state']> = {
  idle: 'idle',
  connecting: 'connecting',
  detecting: 'connecting',
  reading: 'open',
  waiting: 'reconnecting',
  stopped: 'closed',
};

function parseLine(text: string | null): LineSettings | null {
  const m = text ? /^(\d+)\s+(\S+)$/.exec(text.trim()) : null;
  if (!m) return null;
  try {
    return parseFormat(Number(m[1]), m[2]!);
  } catch {
    return null; // a format we do not know how to read back: show none rather than a wrong one
  }
}

/**
 * The active link as diagnostics shows it: the session's own counters (frames, checksum and
 * framing errors, timeouts, reconnects with times — they survive reconnects) over the monitor's
 * view of the port it observes (UART line errors, bytes, the last error with its facts).
 */
export class SessionLinkSource implements LinkSource {
  #openedAt: number | null = null;
  readonly #off: () => void;

  constructor(
    readonly session: SessionLike,
    readonly monitor: LinkMonitor | null,
    readonly info: { readonly deviceId: string | null; readonly now?: () => number },
  ) {
    const now = info.now ?? Date.now;
    if (session.status().state === 'reading') this.#openedAt = now();
    this.#off = session.onState((s) => {
      if (s.state === 'reading') this.#openedAt ??= now();
      else this.#openedAt = null;
    });
  }

  linkStats(): LinkStats | null {
    const st = this.session.status();
    const m = this.monitor?.linkStats() ?? null;
    if (st.state === 'idle' && !m) return null;
    const c = st.counters;
    const [path, family] = st.adapter ? (st.adapter.split(':', 2) as [string, string]) : [m?.path ?? null, m?.family ?? null];
    const port = st.link;
    const lastError =
      m?.lastError && (c.lastErrorCode === null || m.lastError.code === c.lastErrorCode)
        ? m.lastError
        : c.lastErrorCode
          ? { code: c.lastErrorCode, message: c.lastErrorCode, facts: {} }
          : null;
    return {
      state: stateMap[st.state],
      // The observed port tells the monitor which device it opened, when the wiring did not say.
      deviceId: this.info.deviceId ?? m?.deviceId ?? null,
      family,
      path: path === 'usb' || path === 'os' ? path : null,
      protocol: st.protocol ?? m?.protocol ?? null,
      line: parseLine(st.line) ?? m?.line ?? null,
      openedAt: this.#openedAt,
      bytesIn: port?.bytesIn ?? m?.bytesIn ?? 0,
      bytesOut: port?.bytesOut ?? m?.bytesOut ?? 0,
      lineErrors: port ? { ...port.lineErrors } : m?.lineErrors ?? { overrun: 0, parity: 0, framing: 0, break: 0 },
      framesOk: c.framesOk,
      checksumErrors: c.checksumErrors,
      framingErrors: c.framingErrors,
      timeouts: c.timeouts,
      lastByteAt: m?.lastByteAt ?? null,
      lastFrameAt: c.lastFrameAt,
      reconnects: c.recentReconnects.map((r) => ({ at: r.at, reason: r.reason })),
      lastError,
    };
  }

  dispose(): void {
    this.#off();
  }
}
