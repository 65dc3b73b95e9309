import { describe, expect, it } from 'vitest';
import { Household } from '../../../../../main/meter/sim/meters/household-day.js';

const day = Date.UTC(2026, 5, 17); // a Wednesday in June
const localHour = (h: number) => day + (h - 1) * 3_600_000; // CET wall clock (utcOffsetHours 1)

describe('the simulated household day', () => {
  it('has registers that only go up, minute by minute over a whole day', () => {
    const h = new Household({ seed: 21 });
    let prev = h.at(day);
    for (let t = day + 60_000; t <= day + 86_400_000; t += 60_000) {
      const s = h.at(t);
      for (const k of ['import1Wh', 'import2Wh', 'export1Wh', 'export2Wh', 'gasDm3'] as const) expect(s[k]).toBeGreaterThanOrEqual(prev[k]);
      expect(s.importW === 0 || s.exportW === 0).toBe(true);
      prev = s;
    }
    expect(prev.import1Wh + prev.import2Wh).toBeGreaterThan(h.at(day).import1Wh + h.at(day).import2Wh - 1); // sanity: same object integrates
  });

  it('exports around noon and imports most in the evening peak', () => {
    const h = new Household({ seed: 5, solarPeakW: 4000 });
    const net = (hour: number) => h.netPowerW(localHour(hour));
    expect(net(13)).toBeLessThan(0); // solar export
    expect(net(19.25)).toBeGreaterThan(net(3)); // evening peak over the night base load
    expect(net(7.75)).toBeGreaterThan(net(3)); // morning peak
    expect(net(3)).toBeGreaterThan(0);
  });

  it('uses the low tariff at night and on weekends (DSMR tariff 1), normal on weekday days', () => {
    const h = new Household({ seed: 1 });
    expect(h.tariffAt(localHour(12))).toBe(2);
    expect(h.tariffAt(localHour(2))).toBe(1);
    expect(h.tariffAt(Date.UTC(2026, 5, 20, 11))).toBe(1); // Saturday
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = new Household({ seed: 77 }).at(day + 43_200_000);
    const b = new Household({ seed: 77 }).at(day + 43_200_000);
    const c = new Household({ seed: 78 }).at(day + 43_200_000);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });
});
