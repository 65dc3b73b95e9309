import type { GuestEvent } from '../guest/report.js';
import type { FamilyRun, ScenarioRun } from './family-run.js';

type Ev<K extends GuestEvent['event']> = Extract<GuestEvent, { event: K }>;

export function eventsOf<K extends GuestEvent['event']>(r: ScenarioRun, k: K): Ev<K>[] {
  return r.events.filter((e): e is Ev<K> => e.event === k);
}

/** What to show when a scenario fails: the guest's story, the trace, the wire, the console tail. */
export function story(run: FamilyRun, r: ScenarioRun | undefined): string {
  const q = run.qemu;
  const head = `QEMU exit ${q.exitCode}${q.timedOut ? ' (timed out)' : ''} after ${q.durationMs} ms; boot host error: ${run.hostError ?? 'none'}`;
  if (!r) return `${head}\nthe scenario did not run\n--- console tail ---\n${q.console.split('\n').slice(-40).join('\n')}`;
  return [
    head,
    `scenario ${r.name}: guest ${r.ok === null ? 'never ended' : r.ok ? 'ok' : 'FAILED'} in ${r.durationMs} ms; ${r.message ?? ''}; host: ${r.hostError ?? 'ok'}`,
    `chip setups from QEMU's trace: ${JSON.stringify(r.chipSetups)}`,
    ...r.events.map((e) => `guest: ${JSON.stringify(e).slice(0, 300)}`),
    ...r.wireLog.map((l) => `wire: ${l}`),
    '--- console tail (kernel messages) ---',
    q.console
      .split('\n')
      .filter((l) => !l.includes('WATTLET-JSON'))
      .slice(-30)
      .join('\n'),
    '--- QEMU stderr tail ---',
    q.stderr.split('\n').slice(-10).join('\n'),
  ].join('\n');
}

/** Common to every scenario: it ran to its end, the guest said ok, nothing failed to close. */
export function cleanRun(r: ScenarioRun | undefined): { ran: boolean; ok: boolean | null; hostError: string | null; closeErrors: number } {
  return {
    ran: r !== undefined,
    ok: r?.ok ?? null,
    hostError: r?.hostError ?? null,
    closeErrors: r ? eventsOf(r, 'close-error').length : -1,
  };
}

export const CLEAN = { ran: true, ok: true, hostError: null, closeErrors: 0 } as const;
