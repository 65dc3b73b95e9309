import {
  channels,
  isChannelName,
  type ChannelName,
  type Envelope,
  type ParsedRequestOf,
  type ResponseOf,
} from './contract.js';
import { WattletError } from './errors.js';

export interface CallContext {
  readonly host: 'electron' | 'browser' | 'cli';
}

export type Handler<C extends ChannelName> = (
  request: ParsedRequestOf<C>,
  ctx: CallContext,
) => Promise<ResponseOf<C>> | ResponseOf<C>;

export type Handlers = { [C in ChannelName]: Handler<C> };

export type Dispatch = (channel: string, request: unknown, ctx: CallContext) => Promise<Envelope>;

export interface DispatcherOptions {
  /** Where bugs (non-WattletError throws) are reported; never to the caller's screen verbatim. */
  onInternalError?: (channel: string, error: unknown) => void;
}

/**
 * Validates every request against its schema once, here, so handlers can trust their input.
 * A handler missing from `handlers` answers NOT_AVAILABLE (a capability not built in this mode).
 * Nothing thrown inside ever escapes into the host: everything becomes an envelope.
 */
export function createDispatcher(handlers: Partial<Handlers>, options: DispatcherOptions = {}): Dispatch {
  return async (name, raw, ctx) => {
    try {
      if (!isChannelName(name)) {
        throw new WattletError('CHANNEL_UNKNOWN', `No channel named ${String(name).slice(0, 80)}`, {
          channel: String(name).slice(0, 80),
        });
      }
      const spec = channels[name];
      const parsed = spec.request.safeParse(raw ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new WattletError('REQUEST_INVALID', `Invalid request for ${name}: ${issue?.message ?? ''}`, {
          channel: name,
          path: issue ? issue.path.join('.') : '',
          problem: issue?.message ?? '',
        });
      }
      const handler = handlers[name] as Handler<ChannelName> | undefined;
      if (!handler) {
        throw new WattletError('NOT_AVAILABLE', `${name} is not available in this mode`, { channel: name });
      }
      const result = await handler(parsed.data as never, ctx);
      const checked = spec.response.safeParse(result);
      if (!checked.success) {
        options.onInternalError?.(name, checked.error);
        throw new WattletError('RESPONSE_INVALID', `${name} answered outside its schema`, { channel: name });
      }
      return { ok: true, result: checked.data };
    } catch (e) {
      if (e instanceof WattletError) return { ok: false, error: e.toJSON() };
      options.onInternalError?.(name, e);
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Unexpected error in the main process', facts: { channel: name } },
      };
    }
  };
}
