import type { AppInfo } from './api/app.js';
import type { Handlers } from './api/dispatcher.js';
import type { SettingsStore } from './settings/settings-store.js';

export type RunningApp = Omit<AppInfo, 'uptimeMs'>;

/** What is running, as 'app.info' and the support bundle tell it: this process's platform and Node. */
export function runningApp(facts: Pick<AppInfo, 'version' | 'host' | 'mode' | 'dataDir' | 'startedAt'>): RunningApp {
  return { name: 'Wattlet', ...facts, platform: `${process.platform}-${process.arch}`, nodeVersion: process.versions.node };
}

export interface AppHandlerDeps {
  readonly settings: SettingsStore;
  readonly info: RunningApp;
  readonly now: () => number;
}

/** Handlers of the app's own channels: what is running, and the settings. */
export function appHandlers(deps: AppHandlerDeps): Pick<Handlers, 'app.info' | 'settings.get' | 'settings.update'> {
  return {
    'app.info': () => ({ ...deps.info, uptimeMs: Math.max(0, Math.round(deps.now() - deps.info.startedAt)) }),
    'settings.get': () => deps.settings.current,
    'settings.update': (patch) => deps.settings.update(patch),
  };
}
