import { isError } from '../../api/errors.js';
import { Emitter, type ListenerErrorHandler } from '../../lifecycle/emitter.js';
import type { DetectOptions, DetectResult } from '../detect/detect-meter.js';
import type { DecodeListener, DecoderStats, StreamDecoder } from '../protocols/decoder.js';
import type { Reading } from '../reading.js';
import { formatLine, type LineSettings } from '../serial/line-settings.js';
import type { SerialPort, SerialPortStats } from '../serial/serial-port.js';
import { sleep, systemClock, type Clock } from './clock.js';
import { LinkCount, type LinkCounters } from './link-counters.js';
import type { ReaderContext } from './meter-reader.js';
import { createReader, type MeterTarget, type ReaderTiming } from './meter-target.js';
import { publishedPort } from './published-port.js';
import type { LinkEvent, SessionFrame } from './session-events.js';
import { StreamHistory } from './stream-history.js';

export type SessionState = 'idle' | 'connecting' | 'detecting' | 'reading' | 'waiting' | 'stopped';

/**
 * The session as the contract shows it. `line` and `adapter` are the UI's text; in the main
 * process read `target`, `linkPort` and the link events, which carry the same as data.
 */
export interface SessionStatus {
  readonly state: SessionState;
  readonly protocol: string | null;
  readonly line: string | null;
  readonly meterId: string | null;
  readonly adapter: string | null;
  readonly counters: LinkCounters;
  readonly link: SerialPortStats | null;
  readonly lastReadingAt: number | null;
  /** When the next connection attempt is due while 'waiting'. */
  readonly retryAt: number | null;
}

export interface MeterSessionOptions {
  /** Opens the adapter afresh (returns a closed port); throws while it is unplugged. */
  readonly openPort: () => Promise<SerialPort>;
  /** A known target, or detection on every (re)connect until one is found. */
  readonly target: MeterTarget | { readonly detect: Omit<DetectOptions, 'signal' | 'clock'> };
  /** Injected so the session does not import detection unless it is used. */
  readonly detect?: (port: SerialPort, options: DetectOptions) => Promise<DetectResult>;
  readonly timing?: Partial<ReaderTiming>;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly clock?: Clock;
  /**
   * Where a throwing listener's error goes (the one policy, lifecycle/emitter.ts): the
   * composition root wires the logger. A history or diagnostics listener that fails must not
   * tear the meter link down, so it never reaches the port.
   */
  readonly onListenerError?: ListenerErrorHandler;
}

/** What the session shows of its port: the current connection's, or the last one's as it ended. */
export type SessionPortView = Pick<SerialPort, 'path' | 'family' | 'settings' | 'stats'>;

/**
 * Keeps one meter connected: open the port, (detect,) read until the link fails, then wait with
 * exponential backoff and reconnect, forever until disposed. It decodes, counts (`counters`: the
 * link's one count) and publishes what it decoded once, as data: readings, frames with their
 * bytes and decoded result or error, link events with line settings as fields, and its state.
 */
export class MeterSession {
  readonly #count = new LinkCount();
  readonly #o: MeterSessionOptions;
  readonly #clock: Clock;
  readonly #readings: Emitter<Reading>;
  readonly #states: Emitter<SessionStatus>;
  readonly #frames: Emitter<SessionFrame>;
  readonly #links: Emitter<LinkEvent>;
  readonly #stop = new AbortController();
  #state: SessionState = 'idle';
  #target: MeterTarget | null;
  #port: SerialPort | null = null;
  #lastPort: SerialPort | null = null;
  #lastByteAt: number | null = null;
  #meterId: string | null = null;
  #lastReadingAt: number | null = null;
  #retryAt: number | null = null;
  #loop: Promise<void> | null = null;
  #wake: AbortController | null = null;
  #wakeMissed = false;

  constructor(options: MeterSessionOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#target = 'protocol' in options.target ? options.target : null;
    const policy = options.onListenerError ? { onListenerError: options.onListenerError } : {};
    this.#readings = new Emitter(policy);
    this.#states = new Emitter(policy);
    this.#frames = new Emitter(policy);
    this.#links = new Emitter(policy);
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The protocol and line being read, once known (detection finds them on the first connect). */
  get target(): MeterTarget | null {
    return this.#target;
  }

  /**
   * The port the session last opened: the current connection's, or the last one's with its
   * counters as they ended; null until an adapter has let itself be opened.
   */
  get linkPort(): SessionPortView | null {
    return this.#port ?? this.#lastPort;
  }

  /** The link's one count, since the session started (it survives reconnects). */
  get counters(): LinkCounters {
    return this.#count.snapshot();
  }

  /** Host time the last byte arrived, over all connections. */
  get lastByteAt(): number | null {
    return this.#lastByteAt;
  }

  status(): SessionStatus {
    return {
      state: this.#state,
      protocol: this.#target?.protocol ?? null,
      line: this.#target ? formatLine(this.#target.line) : null,
      meterId: this.#meterId,
      adapter: this.#port ? `${this.#port.path}:${this.#port.family}` : null,
      counters: this.#count.snapshot(),
      link: this.#port ? structuredClone(this.#port.stats) : null,
      lastReadingAt: this.#lastReadingAt,
      retryAt: this.#retryAt,
    };
  }

  // Each returns the unsubscribe, as the rooms' other subscriptions do.
  onReading(listener: (r: Reading) => void): () => void {
    const s = this.#readings.event(listener);
    return () => s.dispose();
  }

  onState(listener: (s: SessionStatus) => void): () => void {
    const s = this.#states.event(listener);
    return () => s.dispose();
  }

  /** Every frame received (decoded, or raw while detecting) and every request written. */
  onFrame(listener: (f: SessionFrame) => void): () => void {
    const s = this.#frames.event(listener);
    return () => s.dispose();
  }

  /** The link opened, changed speed, failed, closed. */
  onLink(listener: (e: LinkEvent) => void): () => void {
    const s = this.#links.event(listener);
    return () => s.dispose();
  }

  start(): void {
    if (!this.#loop && !this.#stop.signal.aborted) this.#loop = this.#run();
  }

  /**
   * Connect now instead of when the backoff wait ends: a hot-plug event says the adapter is
   * back. During a connection attempt it is remembered, so an attach that lands while an attempt
   * is failing still cuts the next wait short. Ignored while idle, reading or stopped.
   */
  retryNow(): void {
    if (this.#wake) this.#wake.abort();
    else if (this.#state === 'connecting' || this.#state === 'detecting') this.#wakeMissed = true;
  }

  #set(state: SessionState): void {
    this.#state = state;
    this.#states.fire(this.status());
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal;
    const initial = this.#o.backoff?.initialMs ?? 500;
    const max = this.#o.backoff?.maxMs ?? 30_000;
    let delay = initial;
    while (!stop.aborted) {
      const reason = await this.#connectOnce();
      if (stop.aborted) break;
      if (reason.readSomething) delay = initial;
      this.#count.reconnect(this.#clock.now(), reason.why);
      this.#retryAt = this.#clock.now() + delay;
      const wake = new AbortController();
      if (this.#wakeMissed) wake.abort();
      this.#wakeMissed = false;
      this.#wake = wake;
      this.#set('waiting');
      try {
        await sleep(this.#clock, delay, AbortSignal.any([stop, wake.signal]));
        delay = Math.min(max, delay * 2);
      } catch {
        if (stop.aborted) break;
        delay = initial; // woken by an attach: the adapter is new, so is its backoff
      } finally {
        this.#wake = null;
      }
      this.#retryAt = null;
    }
    this.#set('stopped');
  }

  /** One connection's life; returns why it ended. */
  async #connectOnce(): Promise<{ why: string; readSomething: boolean }> {
    const conn = new AbortController();
    const onStop = () => conn.abort(this.#stop.signal.reason);
    this.#stop.signal.addEventListener('abort', onStop, { once: true });
    const readingsBefore = this.#count.readings;
    let port: SerialPort | null = null;
    let offError = () => {};
    let offData = () => {};
    try {
      this.#set('connecting');
      const opened = await this.#o.openPort();
      port = this.#publish(opened);
      this.#port = opened;
      offError = opened.onError((e) => {
        this.#links.fire({ kind: 'failed', at: this.#clock.now(), error: e });
        conn.abort(e);
      });
      const feed = this.#feed(opened, conn.signal);
      offData = feed.off;
      let target = this.#target;
      if (!target) {
        this.#set('detecting');
        if (!this.#o.detect || !('detect' in this.#o.target)) throw new Error('Detection requested but no detector given');
        await port.open({ baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 });
        const found = await this.#o.detect(port, { ...this.#o.target.detect, signal: conn.signal, clock: this.#clock });
        target = found.target;
        this.#target = target;
      } else {
        await port.open(target.line);
      }
      await port.setLineSettings(target.line);
      this.#wakeMissed = false; // an attach during an attempt that worked is no reason to hurry the next
      this.#set('reading');
      const reader = createReader(target, {
        pollMs: this.#o.timing?.pollMs ?? 10_000,
        silenceMs: this.#o.timing?.silenceMs ?? 30_000,
        ...(this.#o.timing?.answerTimeoutMs ? { answerTimeoutMs: this.#o.timing.answerTimeoutMs } : {}),
      });
      const ctx: ReaderContext = {
        port,
        clock: this.#clock,
        signal: conn.signal,
        decode: feed.decode,
        emitReading: (r) => {
          if (conn.signal.aborted) return; // a reading racing an unplug belongs to no connection
          this.#count.readings++;
          this.#meterId = r.meterId;
          this.#lastReadingAt = r.receivedAt;
          this.#readings.fire(r);
        },
        countTimeout: () => this.#count.timedOut(),
      };
      await reader.run(ctx);
      return { why: 'reader ended', readSomething: this.#count.readings > readingsBefore };
    } catch (e) {
      const why = conn.signal.aborted && conn.signal.reason instanceof Error ? conn.signal.reason : e;
      const text = isError(why) ? why.code : why instanceof Error ? why.message : String(why);
      if (isError(why)) this.#count.lastErrorCode = why.code;
      return { why: text, readSomething: this.#count.readings > readingsBefore };
    } finally {
      this.#stop.signal.removeEventListener('abort', onStop);
      conn.abort(new Error('connection closed'));
      offError();
      offData();
      this.#port = null;
      if (port) {
        await port.close().catch(() => {});
        this.#links.fire({ kind: 'closed', at: this.#clock.now() });
      }
    }
  }

  /** The port as readers and detection use it: what they do to it is published as link events and frames. */
  #publish(port: SerialPort): SerialPort {
    const protocol = () => this.#target?.protocol ?? null;
    return publishedPort(port, {
      opened: (line) => {
        this.#lastPort = port;
        this.#links.fire({ kind: 'opened', at: this.#clock.now(), path: port.path, family: port.family, line, protocol: protocol() });
      },
      openFailed: (error) => this.#links.fire({ kind: 'failed', at: this.#clock.now(), error }),
      lineChanged: (line: LineSettings) => this.#links.fire({ kind: 'line', at: this.#clock.now(), line, protocol: protocol() }),
      sent: (bytes) => this.#frames.fire({ direction: 'out', at: this.#clock.now(), protocol: protocol(), bytes, decoded: null }),
    });
  }

  /**
   * The connection's received bytes: into the reader's current decoder, whose events are counted
   * (by the decoder, into the link's one count), published with their own bytes, then handed to
   * the reader. With no decoder yet (detection decodes on its own) the bytes are published raw.
   */
  #feed(port: SerialPort, signal: AbortSignal): { decode: ReaderContext['decode']; off: () => void } {
    const history = new StreamHistory();
    let decoder: StreamDecoder | null = null;
    const off = port.onData((chunk) => {
      if (signal.aborted) return;
      const at = this.#clock.now();
      this.#lastByteAt = at;
      if (decoder) {
        history.append(chunk);
        decoder.push(chunk, at);
      } else if (this.#frames.hasListeners) {
        this.#frames.fire({ direction: 'in', at, protocol: null, bytes: chunk.slice(), decoded: null });
      }
    });
    const decode = <D extends StreamDecoder>(make: (l: DecodeListener, o: { stats: DecoderStats }) => D, listener: DecodeListener): D => {
      decoder?.reset();
      history.reset(); // a new decoder counts offsets from 0
      const next: D = make((e) => {
        const at = this.#clock.now();
        this.#count.decoded(e, at);
        if (this.#frames.hasListeners) {
          this.#frames.fire({ direction: 'in', at, protocol: next.protocol, bytes: e.offset >= 0 ? history.slice(e.offset, e.length) : new Uint8Array(0), decoded: e });
        }
        listener(e);
      }, { stats: this.#count.frames });
      decoder = next;
      return next;
    };
    return {
      decode,
      off: () => {
        off();
        decoder?.end(); // a frame the link closed in is reported (METER_TRUNCATED), not dropped
        decoder = null;
      },
    };
  }

  async dispose(): Promise<void> {
    this.#stop.abort(new Error('session disposed'));
    await this.#loop;
    this.#readings.dispose();
    this.#states.dispose();
    this.#frames.dispose();
    this.#links.dispose();
  }
}
