import { describe, expect, it } from 'vitest';
import { ACTIVATION_DELAY_MS, ActivationGate, type GateTimers } from '../../../renderer/approval/activation-gate.js';

/** Timers on a hand-moved clock, as the page's window timers would run. */
class FakeTimers implements GateTimers {
  now = 0;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.#timers]) {
      if (t.at <= this.now) {
        this.#timers.delete(id);
        t.fn();
      }
    }
  }
}

function setup() {
  const timers = new FakeTimers();
  const changes: boolean[] = [];
  const gate = new ActivationGate((a) => changes.push(a), ACTIVATION_DELAY_MS, timers);
  return { timers, gate, changes };
}

describe('Approve activation delay', () => {
  it('is 1.5 s, as Frame', () => expect(ACTIVATION_DELAY_MS).toBe(1500));

  it('arms 1.5 s after the request is shown, not before', () => {
    const { timers, gate, changes } = setup();
    expect(gate.armed).toBe(false);
    gate.shown();
    timers.advance(1499);
    expect(gate.armed).toBe(false);
    timers.advance(1);
    expect(gate.armed).toBe(true);
    expect(changes).toEqual([true]);
  });

  it('disarms when the window loses focus and waits 1.5 s again after it regains it', () => {
    const { timers, gate } = setup();
    gate.shown();
    timers.advance(5000);
    gate.blur();
    expect(gate.armed).toBe(false);
    timers.advance(5000);
    expect(gate.armed).toBe(false); // no focus, no arming however long
    gate.focus();
    timers.advance(1499);
    expect(gate.armed).toBe(false);
    timers.advance(1);
    expect(gate.armed).toBe(true);
  });

  it('a focus event while armed (the window brought back to the front) restarts the wait', () => {
    const { timers, gate } = setup();
    gate.shown();
    timers.advance(2000);
    gate.focus();
    expect(gate.armed).toBe(false);
    timers.advance(1500);
    expect(gate.armed).toBe(true);
  });

  it('a hidden page disarms; becoming visible restarts the wait', () => {
    const { timers, gate } = setup();
    gate.shown();
    timers.advance(1000);
    gate.visibility(false);
    timers.advance(1000);
    expect(gate.armed).toBe(false);
    gate.visibility(true);
    timers.advance(1499);
    expect(gate.armed).toBe(false);
    timers.advance(1);
    expect(gate.armed).toBe(true);
  });

  it('a new request restarts the wait, and nothing shown never arms', () => {
    const { timers, gate } = setup();
    gate.focus();
    timers.advance(10_000);
    expect(gate.armed).toBe(false);
    gate.shown();
    timers.advance(1500);
    gate.shown();
    expect(gate.armed).toBe(false);
    timers.advance(1500);
    expect(gate.armed).toBe(true);
    gate.cleared();
    expect(gate.armed).toBe(false);
    timers.advance(10_000);
    expect(gate.armed).toBe(false);
  });
});
