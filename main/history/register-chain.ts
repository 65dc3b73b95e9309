import { pairDeltaInto, type AttributionRules, type Discontinuity, type PairDelta } from './attribution.js';
import type { Sample } from './sample.js';

/**
 * Which of a meter's readings make pairs. A reading that breaks the cumulative registers (one
 * goes down, or rises faster than possible) is held as a suspect until the next reading says
 * what it was:
 * - the next reading continues the earlier sequence (no break from the last kept reading): the
 *   suspect was a single outlier — a glitch on the wire or in the meter — and is skipped; the
 *   pair spans it, so no energy is lost or invented;
 * - otherwise the break is real: a restart of the register (the meter was swapped or reset:
 *   'swap') or an impossible rise ('jump'); the pair to it is a gap of unknown energy and the
 *   suspect starts the sequence that follows.
 * The last reading of a meter may be a suspect ('pending'): no pair ends at it until its next
 * reading. Only single outliers are skipped: two bad readings in a row read as a restart.
 *
 * Pure and left to right: the incremental store and the recomputation from raw replay the same
 * steps, so what the store keeps always equals a recomputation.
 */
export type ChainMark = 'glitch' | 'pending' | Discontinuity;

export interface ChainState {
  /** The last kept reading (the start of the next pair). */
  prev: Sample | null;
  /** A reading that broke the registers, waiting for the next one. */
  suspect: Sample | null;
}

export interface ChainSink {
  /** A pair of consecutive kept readings, with its delta (a broken pair: 0 Wh, its discontinuity). Read `d` at once: it is reused. */
  pair(prev: Sample, cur: Sample, d: PairDelta): void;
  /** What a breaking reading is: pending until its next reading, then glitch, swap or jump. A later mark of the same reading replaces the earlier. */
  mark(reading: Sample, kind: ChainMark): void;
}

/** One chain per meter and pass; it reuses its delta objects, so one chain per caller. */
export class RegisterChain {
  readonly #d: PairDelta = { importWh: 0, exportWh: 0, discontinuity: null };
  readonly #broken: PairDelta = { importWh: 0, exportWh: 0, discontinuity: null };

  constructor(
    private readonly rules: AttributionRules,
    private readonly sink: ChainSink,
  ) {}

  /** Takes the meter's next reading (newer than any in `state`). */
  step(state: ChainState, cur: Sample): void {
    const prev = state.prev;
    if (prev === null) {
      state.prev = cur;
      return;
    }
    const d = this.#d;
    pairDeltaInto(prev, cur, this.rules, d);
    const suspect = state.suspect;
    if (suspect === null) {
      if (d.discontinuity === null) {
        this.sink.pair(prev, cur, d);
        state.prev = cur;
      } else {
        state.suspect = cur;
        this.sink.mark(cur, 'pending');
      }
      return;
    }
    state.suspect = null;
    if (d.discontinuity === null) {
      // The sequence goes on from before the suspect: it was one outlier.
      this.sink.mark(suspect, 'glitch');
      this.sink.pair(prev, cur, d);
      state.prev = cur;
      return;
    }
    const broken = this.#broken;
    pairDeltaInto(prev, suspect, this.rules, broken);
    this.sink.mark(suspect, broken.discontinuity ?? 'jump');
    this.sink.pair(prev, suspect, broken);
    state.prev = suspect;
    // The new sequence starts at the suspect: this reading is judged against it.
    this.step(state, cur);
  }
}

export function sameState(a: ChainState, b: ChainState): boolean {
  return a.prev?.ts === b.prev?.ts && a.suspect?.ts === b.suspect?.ts;
}
