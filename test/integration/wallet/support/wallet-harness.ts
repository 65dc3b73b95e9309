import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { createDispatcher } from '../../../../main/api/dispatcher.js';
import { EventBus } from '../../../../main/api/event-bus.js';
import { loadContractAbis } from '../../../../main/wallet/contract-abis.js';
import { keytarKeychain, type Keychain } from '../../../../main/wallet/keychain.js';
import { walletHandlers } from '../../../../main/wallet/handlers.js';
import { WalletService } from '../../../../main/wallet/wallet-service.js';
import { ScriptedSurface } from '../../../unit/wallet/support/scripted-surface.js';

/** The household the wallet shows offers for: a Dutch home billing in euros. */
export const HOUSEHOLD = { timeZone: 'Europe/Amsterdam', currency: 'EUR' } as const;

/** The address the tests configure as "the EnergyLedger" (typed data must name it). */
export const LEDGER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

/**
 * The wallet as the main window sees it: a dispatcher over the wallet's handlers, with every
 * answer and every event the window would receive recorded as the JSON that would cross.
 */
export class WalletHarness {
  readonly surface = new ScriptedSurface();
  readonly bus = new EventBus();
  readonly keychain: Keychain = keytarKeychain();
  readonly logs: string[] = [];
  /** Everything sent towards the main window: envelopes and events, as JSON text. */
  readonly toWindow: string[] = [];
  readonly provider: JsonRpcProvider;
  readonly wallet: WalletService;
  readonly #dispatch;

  constructor(
    readonly dataDir: string,
    rpcUrl: string,
    household: { timeZone: string; currency: string | null } = HOUSEHOLD,
  ) {
    this.provider = new JsonRpcProvider(rpcUrl, undefined, { cacheTimeout: -1 });
    this.bus.subscribeAll((event, payload) => this.toWindow.push(JSON.stringify({ event, payload })));
    this.wallet = new WalletService({
      dataDir,
      keychain: this.keychain,
      surface: this.surface,
      events: this.bus,
      autoLockSeconds: () => 600,
      approvalTimeoutMs: 120_000,
      provider: () => this.provider,
      energyLedgerAddress: () => LEDGER,
      contracts: () => loadContractAbis('resources/contracts/build'),
      household: () => household,
      log: (message, facts) => this.logs.push(`${message} ${JSON.stringify(facts ?? {})}`),
    });
    this.#dispatch = createDispatcher(walletHandlers(this.wallet), {
      onInternalError: (channel, e) => this.logs.push(`internal ${channel} ${String(e)}`),
    });
  }

  /** Calls a channel as the main window would; resolves with the envelope it would get. */
  async call(channel: string, request: unknown) {
    const envelope = await this.#dispatch(channel, request, { host: 'browser' });
    this.toWindow.push(JSON.stringify(envelope));
    return envelope;
  }

  async result<T = Record<string, unknown>>(channel: string, request: unknown): Promise<T> {
    const e = await this.call(channel, request);
    if (!e.ok) throw new Error(`${channel}: ${e.error.code} ${e.error.message}`);
    return e.result as T;
  }

  dispose(): void {
    this.wallet.dispose();
    this.provider.destroy();
  }
}

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-wallet-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under a folder, as text: what a support bundle or a curious process could read. */
export function allFileText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? allFileText(p) : readFileSync(p, 'latin1');
  }
  return out;
}
