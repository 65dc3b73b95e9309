import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../../main/api/client.js';
import type { ChannelName, Envelope, WattletApi } from '../../main/api/contract.js';
import type { Dispatch } from '../../main/api/dispatcher.js';
import type { EventBus } from '../../main/api/event-bus.js';
import { composeServices, type ComposeOptions, type Services } from '../../main/compose.js';
import { silentLogger } from '../../main/logging/index.js';
import { startPrivateKeyring } from '../integration/wallet/support/private-keyring.js';

/** What crosses the wire: JSON, as the browser host's WebSocket and Electron's IPC carry it. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export interface RendererApi extends WattletApi {
  /** Channels called, in order: what the store asked the main process for. */
  readonly calls: ChannelName[];
}

/**
 * `window.wattlet` as a renderer store gets it, in-process: the contract's own client, over a
 * transport that hands every call to a real dispatcher (validating the request and the answer
 * against the contract) and every event from a real event bus, each as JSON.
 */
export function rendererApi(main: { readonly dispatch: Dispatch; readonly bus: EventBus }): RendererApi {
  const calls: ChannelName[] = [];
  const client = createClient({
    async call(channel, request): Promise<Envelope> {
      calls.push(channel as ChannelName);
      return wire(await main.dispatch(channel, wire(request), { host: 'browser' }));
    },
    subscribe(event, listener) {
      const subscription = main.bus.subscribeAll((name, payload) => {
        if (name === event) listener(wire(payload));
      });
      return () => subscription.dispose();
    },
  });
  return { invoke: client.invoke, on: client.on, calls };
}

export interface ComposedApp {
  readonly services: Services;
  readonly api: RendererApi;
  readonly dataDir: string;
  dispose(): Promise<void>;
}

/**
 * The real composition (no meter unless asked) with the renderer's API over it, in a fresh data
 * folder or in one the test filled first; the folder goes when the app is disposed.
 */
export async function composedApp(options: Partial<ComposeOptions> = {}): Promise<ComposedApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wattlet-renderer-'));
  const services = await composeServices({ host: 'browser', version: '0.0.0', meter: 'none', ...options, dataDir, parts: { logger: silentLogger, ...options.parts } });
  return {
    services,
    api: rendererApi(services),
    dataDir,
    async dispose() {
      try {
        await services.dispose();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** The same, with keys in a real gnome-keyring on a private D-Bus, ended with the app. */
export async function composedAppWithKeyring(options: Partial<ComposeOptions> = {}): Promise<ComposedApp> {
  const keyring = await startPrivateKeyring({ unlocked: true });
  try {
    const app = await composedApp(options);
    return {
      ...app,
      async dispose() {
        try {
          await app.dispose();
        } finally {
          keyring.stop();
        }
      },
    };
  } catch (e) {
    keyring.stop();
    throw e;
  }
}

/** Resolves once `check` holds (stores settle through events and timers), or fails after `ms`. */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
