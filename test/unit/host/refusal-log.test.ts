import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefusalLog } from '../../../main/host/refusal-log.js';

type Line = { message: string; facts: Record<string, unknown> };

function recorder() {
  const lines: Line[] = [];
  const logger = {
    info: (message: string, facts: Record<string, unknown> = {}) => lines.push({ message, facts }),
    warn: (message: string, facts: Record<string, unknown> = {}) => lines.push({ message, facts }),
    error: (message: string, facts: Record<string, unknown> = {}) => lines.push({ message, facts }),
  };
  return { lines, logger };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RefusalLog', () => {
  it('writes the first few of a window in full, then one summary with the counts by reason at its end', () => {
    const { lines, logger } = recorder();
    const log = new RefusalLog({ logger, burst: 3, windowMs: 60_000 });
    for (let i = 0; i < 10_000; i++) log.refuse('refused a websocket connection', i % 4 === 0 ? 'origin' : 'token');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.facts.reason)).toEqual(['origin', 'token', 'token']);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toEqual({
      message: 'refused more connections than were logged one by one',
      facts: { count: 9_997, byReason: { origin: 2_499, token: 7_498 }, windowSeconds: 60 },
    });
    log.dispose();
  });

  it('a new window after the summary starts with full lines again; a quiet window writes no summary', () => {
    const { lines, logger } = recorder();
    const log = new RefusalLog({ logger, burst: 2, windowMs: 1_000 });
    log.refuse('m', 'host');
    vi.advanceTimersByTime(1_000);
    expect(lines).toHaveLength(1); // nothing counted: no summary
    for (let i = 0; i < 5; i++) log.refuse('m', 'host');
    expect(lines).toHaveLength(3);
    vi.advanceTimersByTime(1_000);
    expect(lines.at(-1)?.facts).toMatchObject({ count: 3 });
    log.refuse('m', 'target');
    expect(lines.at(-1)).toEqual({ message: 'm', facts: { reason: 'target' } });
    log.dispose();
  });

  it('dispose writes the open window summary and leaves no timer behind', () => {
    const { lines, logger } = recorder();
    const log = new RefusalLog({ logger, burst: 1 });
    log.refuse('m', 'token');
    log.refuse('m', 'token');
    log.dispose();
    expect(lines.at(-1)?.facts).toMatchObject({ count: 1, byReason: { token: 1 } });
    expect(vi.getTimerCount()).toBe(0);
  });
});
