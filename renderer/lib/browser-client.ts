import type { Envelope } from '../../main/api/contract.js';
import type { Transport } from '../../main/api/client.js';

type ServerMessage =
  | { kind: 'result'; id: number; envelope: Envelope }
  | { kind: 'event'; event: string; payload: unknown };

/**
 * The browser host's transport: one WebSocket to 127.0.0.1 carrying the same envelopes as
 * Electron IPC. The per-launch token comes from the page URL's fragment (never sent in HTTP
 * requests or logged by the server), and is presented when the socket opens.
 * Calls made while disconnected wait for the reconnect; calls in flight when the socket drops
 * answer HOST_DISCONNECTED.
 */
export class BrowserTransport implements Transport {
  #socket: WebSocket | null = null;
  #nextId = 1;
  #pending = new Map<number, (e: Envelope) => void>();
  #listeners = new Map<string, Set<(payload: unknown) => void>>();
  #ready: Promise<WebSocket> | null = null;
  #onStatus: (connected: boolean) => void;

  constructor(
    readonly url: string,
    onStatus: (connected: boolean) => void = () => {},
  ) {
    this.#onStatus = onStatus;
  }

  #connect(): Promise<WebSocket> {
    if (this.#ready) return this.#ready;
    this.#ready = new Promise((resolve) => {
      const attempt = (delay: number) => {
        const socket = new WebSocket(this.url);
        socket.onopen = () => {
          this.#socket = socket;
          this.#onStatus(true);
          resolve(socket);
        };
        socket.onmessage = (m) => this.#receive(String(m.data));
        socket.onclose = () => {
          const wasOpen = this.#socket === socket;
          this.#socket = null;
          for (const [, answer] of this.#pending) {
            answer({ ok: false, error: { code: 'HOST_DISCONNECTED', message: 'Connection lost', facts: {} } });
          }
          this.#pending.clear();
          if (wasOpen) {
            this.#onStatus(false);
            this.#ready = null;
            void this.#connect();
          } else {
            this.#onStatus(false);
            setTimeout(() => attempt(Math.min(delay * 2, 5000)), delay);
          }
        };
      };
      attempt(250);
    });
    return this.#ready;
  }

  #receive(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.kind === 'result') {
      this.#pending.get(message.id)?.(message.envelope);
      this.#pending.delete(message.id);
    } else if (message.kind === 'event') {
      for (const l of this.#listeners.get(message.event) ?? []) l(message.payload);
    }
  }

  async call(channel: string, request: unknown): Promise<Envelope> {
    const socket = await this.#connect();
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      socket.send(JSON.stringify({ kind: 'call', id, channel, request }));
    });
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    void this.#connect();
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
}
