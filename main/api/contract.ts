import type { z } from 'zod';
import { appChannels, appErrorCodes, appEvents } from './app.js';
import { demoChannels, demoErrorCodes, demoEvents } from './demo.js';
import { diagnosticsChannels, diagnosticsErrorCodes, diagnosticsEvents } from './diagnostics.js';
import { commonErrorCodes, type ErrorShape } from './errors.js';
import { historyChannels, historyErrorCodes, historyEvents } from './history.js';
import { ledgerChannels, ledgerErrorCodes, ledgerEvents } from './ledger.js';
import { marketChannels, marketErrorCodes, marketEvents } from './market.js';
import { meterChannels, meterErrorCodes, meterEvents } from './meter.js';
import { notificationsChannels, notificationsErrorCodes, notificationsEvents } from './notifications.js';
import { sessionChannels, sessionErrorCodes, sessionEvents } from './session.js';
import { walletChannels, walletErrorCodes, walletEvents } from './wallet.js';

/**
 * The one contract between the UI and the main process. Both hosts (Electron IPC, browser
 * WebSocket) and both clients (preload, browser client) are derived from these tables.
 *
 * Values cross as JSON: integers that can pass 2^53 (wei, token units) travel as decimal strings.
 */
export const channels = {
  ...appChannels,
  ...meterChannels,
  ...sessionChannels,
  ...historyChannels,
  ...walletChannels,
  ...ledgerChannels,
  ...marketChannels,
  ...diagnosticsChannels,
  ...notificationsChannels,
  ...demoChannels,
};

export const events = {
  ...appEvents,
  ...meterEvents,
  ...sessionEvents,
  ...historyEvents,
  ...walletEvents,
  ...ledgerEvents,
  ...marketEvents,
  ...diagnosticsEvents,
  ...notificationsEvents,
  ...demoEvents,
};

export const errorCodes = [
  ...commonErrorCodes,
  ...appErrorCodes,
  ...meterErrorCodes,
  ...sessionErrorCodes,
  ...historyErrorCodes,
  ...walletErrorCodes,
  ...ledgerErrorCodes,
  ...marketErrorCodes,
  ...diagnosticsErrorCodes,
  ...notificationsErrorCodes,
  ...demoErrorCodes,
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
/** What a client sends (schema input: defaults may be omitted). */
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What a handler receives, after validation. */
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type PayloadOf<E extends EventName> = z.output<Events[E]['payload']>;

export type Envelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ErrorShape };

/** `window.wattlet`: identical under both hosts, so the renderer cannot tell which it runs under. */
export interface WattletApi {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
}

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(channels, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
