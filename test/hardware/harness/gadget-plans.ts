import { FAMILY_SCENARIOS } from '../guest/plan.js';
import { fromBase64 } from '../guest/report.js';
import type { ScenarioPlan, ScenarioRun } from './family-run.js';
import { decodeDsmr, decodeIec, STEP_MS } from './ftdi-plans.js';
import { eventsOf } from './story.js';

/** The gadget family runs inside the guest on its own: the host only watches and checks. */
export function gadgetPlans(): ScenarioPlan[] {
  return FAMILY_SCENARIOS.gadget.map((name) => ({ name, budgetMs: 2 * STEP_MS }));
}

/** What the guest-side meter put on the gadget's tty, chunk by chunk. */
export function meterSent(r: ScenarioRun): { line: string; bytes: Uint8Array }[] {
  return eventsOf(r, 'meter-sent').map((e) => ({ line: e.line, bytes: fromBase64(e.bytes) }));
}

export function meterHeard(r: ScenarioRun): { line: string; bytes: Uint8Array }[] {
  return eventsOf(r, 'meter-heard').map((e) => ({ line: e.line, bytes: fromBase64(e.bytes) }));
}

/** The expected readings: the host's decode of exactly the bytes the guest's meter sent. */
export function expectedDsmr(r: ScenarioRun): ReturnType<typeof decodeDsmr> {
  const chunks = meterSent(r).map((c) => c.bytes);
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return decodeDsmr(all);
}

export function expectedIec(r: ScenarioRun): ReturnType<typeof decodeIec> {
  return decodeIec(meterSent(r).map((c) => c.bytes));
}
