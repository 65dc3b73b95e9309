import type { AppInfo } from './api/app.js';
import type { Handlers } from './api/dispatcher.js';
import type { SettingsStore } from './settings/settings-store.js';

export interface AppHandlerDeps {
  readonly settings: SettingsStore;
  readonly info: Omit<AppInfo, 'uptimeMs'>;
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
