import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/api/event-bus.js';

describe('EventBus', () => {
  it('delivers each event to every host and to listeners of that event only, until disposed', () => {
    const bus = new EventBus();
    const all: string[] = [];
    const settled: string[] = [];
    const forwarding = bus.subscribeAll((event) => all.push(event));
    bus.on('wallet.locked', (p) => settled.push(p.reason));
    bus.emit('wallet.locked', { reason: 'explicit' });
    bus.emit('wallet.changed', {});
    forwarding.dispose();
    bus.emit('wallet.changed', {});
    expect(all).toEqual(['wallet.locked', 'wallet.changed']);
    expect(settled).toEqual(['explicit']);
  });

  it('keeps a throwing listener from the others and from the emitter, and hands its error to the owner', () => {
    const errors: unknown[] = [];
    const bus = new EventBus({ onListenerError: (e) => errors.push(e) });
    const heard: string[] = [];
    bus.subscribeAll(() => {
      throw new Error('socket gone');
    });
    bus.subscribeAll((event) => heard.push(event));
    expect(() => bus.emit('wallet.changed', {})).not.toThrow();
    expect(heard).toEqual(['wallet.changed']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['socket gone']);
  });

  it('hears nothing after dispose', () => {
    const bus = new EventBus();
    const heard: string[] = [];
    bus.subscribeAll((event) => heard.push(event));
    bus.dispose();
    bus.emit('wallet.changed', {});
    expect(heard).toEqual([]);
  });
});
