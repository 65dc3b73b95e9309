import type { WattletApi } from '../../../main/api/contract.js';
import { Activity } from '../../lib/activity.svelte.js';
import { browserDownload } from '../../lib/browser-download.js';

/** What was exported last: a dispute pack or a one-interval proof, saved (desktop app) or downloaded (browser host). */
export interface Exported {
  readonly kind: 'dispute' | 'interval';
  readonly file: string;
  readonly how: 'saved' | 'downloaded';
  /** A dispute pack's verdict as packed: my meter agrees with the operator, differs, or had no readings. */
  readonly verdict: string | null;
}

/**
 * The Ledger page's exports, the way History's CSV export goes: in the desktop app through the
 * save dialog (ledger.disputePackFile / ledger.intervalProofFile), in the browser host as a
 * download of the text main answers (ledger.disputePack / ledger.intervalProof). A dispute pack is
 * signed by the household's key once a person approves on the approval surface; a one-interval
 * proof discloses one quarter-hour's leaf, salt and paths, nothing else of the day.
 */
export class LedgerExport {
  readonly activity = new Activity<'dispute' | 'interval'>();
  host = $state<'electron' | 'browser' | 'cli' | null>(null);
  exported = $state<Exported | null>(null);
  readonly #api: WattletApi;
  readonly #download: (name: string, text: string) => void;

  constructor(api: WattletApi, download: (name: string, text: string) => void = (name, text) => browserDownload(name, text, 'application/json;charset=utf-8')) {
    this.#api = api;
    this.#download = download;
  }

  /** Learns the host: which way an export goes. */
  start(): void {
    this.#api.invoke('app.info', {}).then(
      (i) => (this.host = i.host),
      () => (this.host = 'browser'),
    );
  }

  disputePack(date: string): Promise<boolean> {
    return this.activity.run('dispute', async () => {
      this.exported = null;
      if (this.host === 'electron') {
        const r = await this.#api.invoke('ledger.disputePackFile', { date });
        this.exported = { kind: 'dispute', file: r.file, how: 'saved', verdict: r.verdict };
      } else {
        const r = await this.#api.invoke('ledger.disputePack', { date });
        this.#download(r.fileName, r.text);
        this.exported = { kind: 'dispute', file: r.fileName, how: 'downloaded', verdict: r.verdict };
      }
    });
  }

  intervalProof(date: string, index: number): Promise<boolean> {
    return this.activity.run('interval', async () => {
      this.exported = null;
      if (this.host === 'electron') {
        const r = await this.#api.invoke('ledger.intervalProofFile', { date, index });
        this.exported = { kind: 'interval', file: r.file, how: 'saved', verdict: null };
      } else {
        const r = await this.#api.invoke('ledger.intervalProof', { date, index });
        this.#download(r.fileName, r.text);
        this.exported = { kind: 'interval', file: r.fileName, how: 'downloaded', verdict: null };
      }
    });
  }
}
