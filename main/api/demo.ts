import { z } from 'zod';
import { channel, event } from './channel.js';

// The demo domain of the contract: what demo mode plays (the meter, the chain and its operator),
// and moving its chain's clock forward so a person can see a sale through to settlement in minutes.

export const demoErrorCodes = [
  'DEMO_NOT_PLAYING', // demo mode does not play the chain (Settings name a real endpoint, or it is still starting)
  'DEMO_CLOCK_BACKWARDS', // the chain's clock only goes forward; facts: now, to
  'DEMO_FAST_FORWARD_FAILED', // the local chain or the demo operator failed; facts: step
] as const;
export type DemoErrorCode = (typeof demoErrorCodes)[number];

const unixSeconds = z.number().int().nonnegative().max(2 ** 40);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const demoTokenSchema = z.object({ address, symbol: z.string(), currency: z.string(), decimals: z.number().int() });

export const demoChannels = {
  'demo.status': channel({
    doc: 'What demo mode plays: the local chain (its clock, which fast-forwarding moves ahead of the wall clock) and its demo tokens.',
    request: z.object({}),
    response: z.object({
      chain: z.boolean(),
      /** The chain's clock (unix seconds); null when no local chain is played. */
      chainNow: unixSeconds.nullable(),
      /** How far the chain's clock is ahead of the wall clock, in seconds. */
      ahead: z.number().int(),
      tokens: z.array(demoTokenSchema),
    }),
    errors: [],
  }),
  'demo.fastForward': channel({
    doc: "Moves the local chain's clock to `to` (never back) and has the demo operator anchor every day that closed by then, as the real operator would the next morning.",
    request: z.object({ to: unixSeconds }),
    response: z.object({ now: unixSeconds, anchoredDays: z.array(z.string()) }),
    errors: ['DEMO_NOT_PLAYING', 'DEMO_CLOCK_BACKWARDS', 'DEMO_FAST_FORWARD_FAILED'],
  }),
};

export const demoEvents = {
  'demo.timeMoved': event({
    doc: "The demo chain's clock was moved forward (and closed days anchored): what depends on chain time is stale.",
    payload: z.object({ now: unixSeconds, anchoredDays: z.array(z.string()) }),
  }),
};
