import type { Handlers } from '../api/dispatcher.js';
import { WattletError } from '../api/errors.js';
import type { EventBus } from '../api/event-bus.js';
import type { DemoChain } from './demo-chain.js';

export type DemoHandlers = Pick<Handlers, 'demo.status' | 'demo.fastForward'>;

/** The demo's channels: what it plays, and moving its chain's clock forward (DEMO_NOT_PLAYING without a local chain). */
export function demoHandlers(chain: DemoChain | null, bus: Pick<EventBus, 'emit'>, wallNow: () => number): DemoHandlers {
  return {
    'demo.status': async () => {
      const clock = chain?.clock ?? null;
      const chainNow = clock ? await clock.now() : null;
      return {
        chain: clock !== null,
        chainNow,
        ahead: chainNow === null ? 0 : Math.max(0, chainNow - Math.floor(wallNow() / 1000)),
        tokens: (chain?.tokens ?? []).map((t) => ({ address: t.address, symbol: t.symbol, currency: t.currency, decimals: t.decimals })),
      };
    },
    'demo.fastForward': async ({ to }) => {
      const clock = chain?.clock ?? null;
      if (!clock) throw new WattletError('DEMO_NOT_PLAYING', 'Demo mode does not play the chain', {});
      const moved = await clock.fastForward(to);
      bus.emit('demo.timeMoved', moved);
      return moved;
    },
  };
}
