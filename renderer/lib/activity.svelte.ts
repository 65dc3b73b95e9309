import { untrack } from 'svelte';

/** A confirmation to show: a key of the i18n table and its facts. */
export interface Notice {
  readonly key: string;
  readonly facts?: Readonly<Record<string, string | number>>;
}

/**
 * What a page is doing and how its last action ended, the same on every page: the one action in
 * flight (`busy`, named so a button can tell it is the one), the typed error to show in the
 * person's language, the notice that confirms. An action clears the last outcome and runs alone;
 * loading data the page shows runs beside actions and only keeps its error. Nothing thrown is
 * dropped: it becomes `error`.
 */
export class Activity<Name extends string = string> {
  busy = $state<Name | null>(null);
  error = $state<unknown>(null);
  notice = $state<Notice | null>(null);
  /** Loads in flight (`load`), for a page's "checking…" line. */
  loading = $state(false);
  #loads = 0;

  /** Busy with an action or a load. */
  get working(): boolean {
    return this.busy !== null || this.loading;
  }

  /**
   * One action the person waits on. Refused (false) while another runs: each write may wait for
   * an approval in the wallet's window, so two at once would ask twice. True when it succeeded.
   */
  async run(name: Name, action: () => Promise<void>): Promise<boolean> {
    // Read untracked: a page's $effect that starts an action must not re-run when it ends.
    if (untrack(() => this.busy) !== null) return false;
    this.busy = name;
    this.error = null;
    this.notice = null;
    try {
      await action();
      return true;
    } catch (e) {
      this.error = e;
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** Reading what the page shows: beside actions, no busy marker; a success clears the error. */
  async load(work: () => Promise<void>): Promise<boolean> {
    this.#loads++;
    this.loading = true;
    try {
      await work();
      this.error = null;
      return true;
    } catch (e) {
      this.error = e;
      return false;
    } finally {
      this.loading = --this.#loads > 0;
    }
  }

  say(key: string, facts?: Notice['facts']): void {
    this.notice = facts ? { key, facts } : { key };
  }
}
