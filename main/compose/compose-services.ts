import { join } from 'node:path';
import type { Settings } from './api/app.js';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher.js';
import { EventBus } from './api/event-bus.js';
import { appHandlers } from './app-handlers.js';
import { Disposables } from './lifecycle/disposables.js';
import { FileLogger, type Logger } from './logging/logger.js';
import type { HttpRoute } from './host/http-route.js';
import { SettingsStore } from './settings/settings-store.js';

export interface ComposeOptions {
  readonly dataDir: string;
  readonly host: 'electron' | 'browser' | 'cli';
  readonly mode: 'demo' | 'live';
  readonly version: string;
  /** Settings given on the command line win over the stored ones for this run. */
  readonly settingsOverrides?: Partial<Settings>;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export interface Services {
  readonly bus: EventBus;
  readonly dispatch: Dispatch;
  readonly settings: SettingsStore;
  readonly logger: Logger;
  /** Extra HTTP routes for the browser host (the wallet's approval page). */
  readonly routes: readonly HttpRoute[];
  dispose(): Promise<void>;
}

/**
 * The composition root: every service is constructed here with its dependencies, and disposed
 * here in reverse order. Both hosts call it; nothing else creates services.
 */
export async function composeServices(options: ComposeOptions): Promise<Services> {
  const now = options.now ?? Date.now;
  const disposables = new Disposables();
  const logger = options.logger ?? new FileLogger(join(options.dataDir, 'logs', 'wattlet.log'));
  const bus = disposables.add(new EventBus());
  const settings = await SettingsStore.open(join(options.dataDir, 'settings.json'), options.settingsOverrides);
  disposables.add(settings.onChange((s) => bus.emit('settings.changed', s)));

  const handlers: Partial<Handlers> = {
    ...appHandlers({
      settings,
      now,
      info: {
        name: 'Wattlet',
        version: options.version,
        host: options.host,
        mode: options.mode,
        platform: `${process.platform}-${process.arch}`,
        nodeVersion: process.versions.node,
        dataDir: options.dataDir,
        startedAt: now(),
      },
    }),
  };

  const routes: HttpRoute[] = [];

  const dispatch = createDispatcher(handlers, {
    onInternalError: (channel, error) => logger.error('handler failed', { channel, error }),
  });
  logger.info('services started', { host: options.host, mode: options.mode });

  return {
    bus,
    dispatch,
    settings,
    logger,
    routes,
    dispose: () => disposables.dispose(),
  };
}
