import type { ChannelName, Envelope, EventName, WattletApi } from './contract.js';
import { WattletError } from './errors.js';

/** How a client reaches a host: Electron IPC in the preload, a WebSocket in the browser. */
export interface Transport {
  call(channel: string, request: unknown): Promise<Envelope>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Builds `window.wattlet` over a transport. Both clients use this, so the object the renderer
 * sees is the same under both hosts. Typed errors come back as WattletError rejections.
 */
export function createClient(transport: Transport): WattletApi {
  return Object.freeze({
    async invoke(channel: ChannelName, request: unknown) {
      const envelope = await transport.call(channel, request);
      if (envelope.ok) return envelope.result as never;
      throw WattletError.from(envelope.error);
    },
    on(event: EventName, listener: (payload: never) => void) {
      return transport.subscribe(event, listener as (payload: unknown) => void);
    },
  }) as WattletApi;
}
