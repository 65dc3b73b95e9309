import { isError } from '../../api/errors.js';
import type { DetectOptions, DetectResult } from '../detect/detect-meter.js';
import type { Reading } from '../reading.js';
import { formatLine } from '../serial/line-settings.js';
import type { SerialPort, SerialPortStats } from '../serial/serial-port.js';
import { sleep, systemClock, type Clock } from './clock.js';
import { countDecodeEvent, emptyCounters, recordReconnect, type LinkCounters } from './link-counters.js';
import { createReader, type MeterTarget, type ReaderTiming } from './meter-target.js';

export type SessionState = 'idle' | 'connecting' | 'detecting' | 'reading' | 'waiting' | 'stopped';

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
}

/**
 * Keeps one meter connected: open the port, (detect,) read until the link fails, then wait with
 * exponential backoff and reconnect, forever until disposed. Counts everything it sees.
 */
export class MeterSession {
  readonly counters = emptyCounters();
  readonly #o: MeterSessionOptions;
  readonly #clock: Clock;
  readonly #readingListeners = new Set<(r: Reading) => void>();
  readonly #stateListeners = new Set<(s: SessionStatus) => void>();
  readonly #stop = new AbortController();
  #state: SessionState = 'idle';
  #target: MeterTarget | null;
  #port: SerialPort | null = null;
  #meterId: string | null = null;
  #lastReadingAt: number | null = null;
  #retryAt: number | null = null;
  #loop: Promise<void> | null = null;

  constructor(options: MeterSessionOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#target = 'protocol' in options.target ? options.target : null;
  }

  get state(): SessionState {
    return this.#state;
  }

  status(): SessionStatus {
    return {
      state: this.#state,
      protocol: this.#target?.protocol ?? null,
      line: this.#target ? formatLine(this.#target.line) : null,
      meterId: this.#meterId,
      adapter: this.#port ? `${this.#port.path}:${this.#port.family}` : null,
      counters: { ...this.counters, recentReconnects: [...this.counters.recentReconnects] },
      link: this.#port ? structuredClone(this.#port.stats) : null,
      lastReadingAt: this.#lastReadingAt,
      retryAt: this.#retryAt,
    };
  }

  onReading(listener: (r: Reading) => void): () => void {
    this.#readingListeners.add(listener);
    return () => this.#readingListeners.delete(listener);
  }

  onState(listener: (s: SessionStatus) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  start(): void {
    if (!this.#loop && !this.#stop.signal.aborted) this.#loop = this.#run();
  }

  #set(state: SessionState): void {
    this.#state = state;
    const s = this.status();
    for (const l of [...this.#stateListeners]) l(s);
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
      recordReconnect(this.counters, this.#clock.now(), reason.why);
      this.#retryAt = this.#clock.now() + delay;
      this.#set('waiting');
      try {
        await sleep(this.#clock, delay, stop);
      } catch {
        break;
      }
      this.#retryAt = null;
      delay = Math.min(max, delay * 2);
    }
    this.#set('stopped');
  }

  /** One connection's life; returns why it ended. */
  async #connectOnce(): Promise<{ why: string; readSomething: boolean }> {
    const conn = new AbortController();
    const onStop = () => conn.abort(this.#stop.signal.reason);
    this.#stop.signal.addEventListener('abort', onStop, { once: true });
    const readingsBefore = this.counters.readings;
    let port: SerialPort | null = null;
    let offError = () => {};
    try {
      this.#set('connecting');
      port = await this.#o.openPort();
      this.#port = port;
      offError = port.onError((e) => conn.abort(e));
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
      this.#set('reading');
      const reader = createReader(target, {
        pollMs: this.#o.timing?.pollMs ?? 10_000,
        silenceMs: this.#o.timing?.silenceMs ?? 30_000,
        ...(this.#o.timing?.answerTimeoutMs ? { answerTimeoutMs: this.#o.timing.answerTimeoutMs } : {}),
      });
      await reader.run({
        port,
        clock: this.#clock,
        signal: conn.signal,
        emitReading: (r) => {
          if (conn.signal.aborted) return; // a reading racing an unplug belongs to no connection
          this.counters.readings++;
          this.#meterId = r.meterId;
          this.#lastReadingAt = r.receivedAt;
          for (const l of [...this.#readingListeners]) l(r);
        },
        countEvent: (e) => countDecodeEvent(this.counters, e, this.#clock.now()),
        countTimeout: () => {
          this.counters.timeouts++;
          this.counters.lastErrorCode = 'METER_NO_ANSWER';
        },
      });
      return { why: 'reader ended', readSomething: this.counters.readings > readingsBefore };
    } catch (e) {
      const why = conn.signal.aborted && conn.signal.reason instanceof Error ? conn.signal.reason : e;
      const text = isError(why) ? why.code : why instanceof Error ? why.message : String(why);
      if (isError(why)) this.counters.lastErrorCode = why.code;
      return { why: text, readSomething: this.counters.readings > readingsBefore };
    } finally {
      this.#stop.signal.removeEventListener('abort', onStop);
      conn.abort(new Error('connection closed'));
      offError();
      this.#port = null;
      if (port) await port.close().catch(() => {});
    }
  }

  async dispose(): Promise<void> {
    this.#stop.abort(new Error('session disposed'));
    await this.#loop;
    this.#readingListeners.clear();
    this.#stateListeners.clear();
  }
}
