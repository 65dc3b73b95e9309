import WebSocket from 'ws';
import type { Envelope } from '../../../main/api/contract.js';
import { startHost, type RunningHost } from '../../e2e/support/host-process.js';
import { startPrivateKeyring, type PrivateKeyring } from '../../integration/wallet/support/private-keyring.js';

/**
 * The adversarial suite's target: the real built browser host (out/main/host.js) as its own
 * process, with a private D-Bus session and gnome-keyring of its own, and an attacker that holds
 * only what a script in the main window holds: the per-launch token and the page's Origin.
 */
export interface Target {
  readonly host: RunningHost;
  readonly keyring: PrivateKeyring;
  stop(): Promise<void>;
}

export async function startTarget(options: { args?: string[]; env?: NodeJS.ProcessEnv; open?: boolean; dataDir?: string } = {}): Promise<Target> {
  const keyring = await startPrivateKeyring({ unlocked: true });
  let host: RunningHost;
  try {
    host = await startHost({
      args: options.args,
      open: options.open,
      dataDir: options.dataDir,
      env: { ...options.env, DBUS_SESSION_BUS_ADDRESS: keyring.busAddress },
    });
  } catch (e) {
    keyring.stop();
    throw e;
  }
  return {
    host,
    keyring,
    async stop() {
      await host.stop();
      keyring.stop();
    },
  };
}

/** A WebSocket client speaking the contract's envelope, as the main window's script would. */
export class Attacker {
  #nextId = 1;
  readonly #pending = new Map<number, (e: Envelope) => void>();
  readonly events: Array<{ event: string; payload: unknown }> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as { kind: string; id?: number; envelope?: Envelope; event?: string; payload?: unknown };
      if (m.kind === 'result' && typeof m.id === 'number') this.#pending.get(m.id)?.(m.envelope!);
      if (m.kind === 'event') this.events.push({ event: m.event!, payload: m.payload });
    });
  }

  static connect(host: Pick<RunningHost, 'origin' | 'token'>): Promise<Attacker> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/api?token=${host.token}`, { origin: host.origin });
      ws.once('open', () => resolve(new Attacker(ws)));
      ws.once('error', reject);
    });
  }

  call(channel: string, request: unknown = {}): Promise<Envelope> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, (e) => {
        this.#pending.delete(id);
        resolve(e);
      });
      this.socket.send(JSON.stringify({ kind: 'call', id, channel, request }));
    });
  }

  async result<T = Record<string, unknown>>(channel: string, request: unknown = {}): Promise<T> {
    const e = await this.call(channel, request);
    if (!e.ok) throw new Error(`${channel}: ${e.error.code} ${e.error.message}`);
    return e.result as T;
  }

  close(): void {
    this.socket.terminate();
  }
}

/** True when the host still serves its page and answers a call on a fresh connection. */
export async function stillAnswering(host: Pick<RunningHost, 'origin' | 'token'>): Promise<boolean> {
  try {
    const page = await fetch(`${host.origin}/`);
    if (page.status !== 200) return false;
    const a = await Attacker.connect(host);
    try {
      const e = await a.call('app.info');
      return e.ok;
    } finally {
      a.close();
    }
  } catch {
    return false;
  }
}
