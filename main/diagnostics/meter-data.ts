import type { MeterData as MeterDataEntry } from '../api/diagnostics.js';
import { isCurrentRegister } from '../meter/protocols/index.js';
import type { SessionFrame } from '../meter/session/index.js';

const MAX_METERS = 16;
const MAX_HISTORY = 64;
const MAX_UNREAD_SHOWN = 20;

interface Tally {
  entry: MeterDataEntry;
  history: Map<string, MeterDataEntry['history'][number]>;
  quirks: Map<string, number>;
}

/**
 * Per meter, what its readings carried beyond the current registers, from the frames the session
 * publishes (decoded once, by the session): unread lines and data sets, readings with no
 * quantity, register history (which history and roll-ups never store), and the quirks corrected.
 * Diagnostics shows it so none of it is dropped silently.
 */
export class MeterData {
  readonly #meters = new Map<string, Tally>();
  readonly #off: () => void;

  constructor(session: { onFrame(listener: (f: SessionFrame) => void): () => void }) {
    this.#off = session.onFrame((f) => {
      const e = f.decoded;
      if (!e) return;
      if (e.kind === 'warning') {
        const t = this.#tally(e.meterId, f.protocol ?? '');
        if (t && e.code === 'METER_NO_QUANTITIES') t.entry.noQuantities++;
        return;
      }
      if (e.kind !== 'reading') return;
      const r = e.reading;
      const t = this.#tally(r.meterId, r.protocol);
      if (!t) return;
      t.entry.readings++;
      t.entry.lastReadingAt = r.receivedAt;
      const unread = r.unread ?? 0;
      if (unread > 0) {
        t.entry.unread += unread;
        t.entry.readingsWithUnread++;
        t.entry.lastUnread = r.raw.slice(-Math.min(unread, MAX_UNREAD_SHOWN)).map((l) => l.slice(0, 200));
      }
      for (const q of r.quantities) {
        if (isCurrentRegister(q.obis)) continue;
        if (!t.history.has(q.obis) && t.history.size >= MAX_HISTORY) continue;
        t.history.set(q.obis, { obis: q.obis, value: q.value, unit: q.unit, at: r.meterTime ?? r.receivedAt });
      }
      for (const id of r.quirks ?? []) t.quirks.set(id, (t.quirks.get(id) ?? 0) + 1);
    });
  }

  #tally(meterId: string, protocol: string): Tally | undefined {
    let t = this.#meters.get(meterId);
    if (!t) {
      if (this.#meters.size >= MAX_METERS) return undefined;
      t = {
        entry: { meterId, protocol, readings: 0, unread: 0, readingsWithUnread: 0, lastUnread: [], noQuantities: 0, history: [], quirks: [], lastReadingAt: null },
        history: new Map(),
        quirks: new Map(),
      };
      this.#meters.set(meterId, t);
    }
    return t;
  }

  snapshot(): MeterDataEntry[] {
    return [...this.#meters.values()].map((t) => ({
      ...t.entry,
      lastUnread: [...t.entry.lastUnread],
      history: [...t.history.values()].sort((a, b) => (a.obis < b.obis ? -1 : 1)),
      quirks: [...t.quirks].map(([id, readings]) => ({ id, readings })),
    }));
  }

  dispose(): void {
    this.#off();
  }
}
