import type { z } from 'zod';

/**
 * One request/response channel of the contract. Names read as a sentence, `domain.verb`
 * (`meter.list`, `history.query`). `errors` lists the domain codes the handler may answer with,
 * on top of the common ones, so the UI knows which translations a screen needs.
 */
export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly doc: string;
  readonly request: Req;
  readonly response: Res;
  readonly errors: readonly string[];
}

/** One event stream main → UI (live readings, hot-plug, approval requests). */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly doc: string;
  readonly payload: P;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  spec: ChannelSpec<Req, Res>,
): ChannelSpec<Req, Res> {
  return spec;
}

export function event<P extends z.ZodType>(spec: EventSpec<P>): EventSpec<P> {
  return spec;
}
