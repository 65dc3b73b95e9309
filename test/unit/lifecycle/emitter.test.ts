import { describe, expect, it } from 'vitest';
import { Emitter, toDisposable } from '../../../main/lifecycle/emitter.js';
import { MutableDisposable } from '../../../main/lifecycle/mutable-disposable.js';

describe('Emitter', () => {
  it('delivers to every listener in order and stops a disposed one', () => {
    const e = new Emitter<number>();
    const got: string[] = [];
    const a = e.event((v) => got.push(`a${v}`));
    e.event((v) => got.push(`b${v}`));
    e.fire(1);
    a.dispose();
    a.dispose();
    e.fire(2);
    expect(got).toEqual(['a1', 'b1', 'b2']);
  });

  it('isolates a throwing listener and hands its error to the one policy', () => {
    const errors: unknown[] = [];
    const e = new Emitter<number>({ onListenerError: (err) => errors.push(err) });
    const got: number[] = [];
    e.event(() => {
      throw new Error('boom');
    });
    e.event((v) => got.push(v));
    expect(() => e.fire(7)).not.toThrow();
    expect(got).toEqual([7]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
  });

  it('a listener added while firing hears the next fire, not the current one', () => {
    const e = new Emitter<number>();
    const got: number[] = [];
    e.event(() => {
      e.event((v) => got.push(v));
    });
    e.fire(1);
    expect(got).toEqual([]);
    e.fire(2);
    expect(got).toEqual([2]);
  });

  it('reports first and last listener, and hears nothing after dispose', () => {
    const marks: string[] = [];
    const e = new Emitter<number>({ onFirstListener: () => marks.push('first'), onLastListenerRemoved: () => marks.push('last') });
    const s = e.event(() => marks.push('heard'));
    e.fire(1);
    s.dispose();
    e.event(() => marks.push('again'));
    e.dispose();
    e.fire(2);
    expect(marks).toEqual(['first', 'heard', 'last', 'first', 'last']);
    expect(e.event(() => marks.push('late'))).toBeDefined();
    e.fire(3);
    expect(marks).not.toContain('late');
  });

  it('toDisposable runs its teardown once', () => {
    let n = 0;
    const d = toDisposable(() => n++);
    d.dispose();
    d.dispose();
    expect(n).toBe(1);
  });
});

describe('MutableDisposable', () => {
  it('disposes the replaced value, in order, and the current one on dispose', async () => {
    const log: string[] = [];
    const item = (name: string) => ({
      dispose: async () => {
        await new Promise((r) => setTimeout(r, name === 'a' ? 20 : 0));
        log.push(name);
      },
    });
    const m = new MutableDisposable<{ dispose(): Promise<void> }>();
    m.value = item('a');
    m.value = item('b');
    m.value = item('c');
    await m.settled();
    expect(log).toEqual(['a', 'b']);
    await m.dispose();
    expect(log).toEqual(['a', 'b', 'c']);
    expect(m.value).toBeUndefined();
    m.value = item('d');
    await m.settled();
    expect(log).toEqual(['a', 'b', 'c', 'd']);
  });
});
