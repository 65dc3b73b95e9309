import type { Settings } from '../../main/api/app.js';
import { api } from './api.js';
import { i18n } from './i18n.svelte.js';

/**
 * Settings as the main process persists them. Language and theme apply at once; the change is
 * written through `settings.update` so it survives a restart.
 */
class SettingsStore {
  current = $state<Settings | null>(null);
  error = $state<unknown>(null);

  async load(): Promise<void> {
    try {
      this.#apply(await api.invoke('settings.get', {}));
      api.on('settings.changed', (s) => this.#apply(s));
    } catch (e) {
      this.error = e;
    }
  }

  async update(patch: Partial<Settings>): Promise<void> {
    this.#apply(await api.invoke('settings.update', patch));
  }

  #apply(s: Settings): void {
    this.current = s;
    i18n.language = s.language;
    document.documentElement.lang = s.language;
    const dark = s.theme === 'dark' || (s.theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }
}

export const settings = new SettingsStore();
