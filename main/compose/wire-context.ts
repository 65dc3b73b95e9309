import type { Settings } from '../api/app.js';
import type { EventBus } from '../api/event-bus.js';
import type { Disposables } from '../lifecycle/disposables.js';
import type { Logger } from '../logging/logger.js';
import type { SettingsStore } from '../settings/settings-store.js';

/** What every room's wiring receives from the composition root. */
export interface WireContext {
  readonly dataDir: string;
  readonly mode: 'demo' | 'live';
  readonly host: 'electron' | 'browser' | 'cli';
  /** The project (or install) root: resources/ lives here. */
  readonly root: string;
  readonly bus: EventBus;
  readonly settings: SettingsStore;
  readonly logger: Logger;
  /** Everything a wiring creates is added here, and disposed in reverse order. */
  readonly disposables: Disposables;
  readonly now: () => number;
}

export type SettingsOverrides = Partial<Settings>;
