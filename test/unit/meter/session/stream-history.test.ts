import { describe, expect, it } from 'vitest';
import { StreamHistory } from '../../../../main/meter/session/stream-history.js';

describe('stream history', () => {
  it('slices by absolute offset and forgets what was overwritten', () => {
    const h = new StreamHistory(8);
    h.append(Uint8Array.from([0, 1, 2, 3, 4, 5]));
    expect([...h.slice(2, 3)]).toEqual([2, 3, 4]);
    h.append(Uint8Array.from([6, 7, 8, 9]));
    expect(h.end).toBe(10);
    expect([...h.slice(0, 4)]).toEqual([2, 3]); // 0 and 1 were overwritten
    expect([...h.slice(8, 10)]).toEqual([8, 9]);
    h.reset();
    expect([...h.slice(0, 2)]).toEqual([]);
  });

  it('keeps the tail of a chunk longer than it holds, at the right offsets', () => {
    const h = new StreamHistory(4);
    h.append(Uint8Array.from([1, 2, 3]));
    h.append(Uint8Array.from([4, 5, 6, 7, 8, 9]));
    expect(h.end).toBe(9);
    expect([...h.slice(0, 9)]).toEqual([6, 7, 8, 9]);
    expect([...h.slice(6, 2)]).toEqual([7, 8]);
  });
});
