import type { Settings } from './api/app.js';
import type { Dispatch } from './api/dispatcher.js';
import type { EventBus } from './api/event-bus.js';
import type { OsSerialPortInfo } from './api/meter.js';
import type { Demo } from './demo/index.js';
import type { HistoryService } from './history/index.js';
import type { Ledger } from './ledger/index.js';
import type { Logger } from './logging/index.js';
import type { Meter } from './meter/create-meter.js';
import type { Notifications, OsNotifier } from './notifications/index.js';
import type { UsbBackend } from './meter/usb/usb-backend.js';
import type { SettingsStore } from './settings/settings-store.js';
import type { ApprovalSurface, Keychain, WalletService } from './wallet/index.js';

// What a host hands the composition root (main/compose.ts), and what it gets back.

export interface ComposeOptions {
  readonly dataDir: string;
  readonly host: 'electron' | 'browser' | 'cli';
  readonly version: string;
  /** 'demo' (simulated cable and meter), 'none', a USB serial, vid:pid or OS serial path. Default 'none'. */
  readonly meter?: string;
  /** Demo mode: days of simulated history for an empty data folder (and days anchored at start). */
  readonly demoDays?: number;
  /** Settings given on the command line win over the stored ones for this run. */
  readonly settingsOverrides?: Partial<Settings>;
  /** Where a person approves signatures: Electron's modal window or the browser host's page. */
  readonly approval?: ApprovalSurface;
  /** Electron's save dialog (the support bundle, CSV exports); null answer = the person cancelled. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** The OS's notifications (Electron's); the browser host has none, the window's centre is enough. */
  readonly osNotifier?: OsNotifier;
  /** Real parts handed in instead of the ones built here (tests; each is a real part, not a stub). */
  readonly parts?: ComposeParts;
}

export interface ComposeParts {
  /** The USB bus meters are found on (default: the real one through `usb`). */
  readonly usbBackend?: UsbBackend;
  /** The OS serial ports diagnostics lists (default: the system's). */
  readonly serialPorts?: () => Promise<readonly OsSerialPortInfo[]>;
  /** Where keys live (default: the OS keychain through keytar). */
  readonly keychain?: Keychain;
  /** Where the log goes (default: <dataDir>/logs/wattlet.log). */
  readonly logger?: Logger;
  /** The wall clock, in ms (default Date.now). */
  readonly now?: () => number;
}

export interface Services {
  readonly bus: EventBus;
  readonly dispatch: Dispatch;
  readonly settings: SettingsStore;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly history: HistoryService;
  readonly wallet: WalletService;
  readonly ledger: Ledger;
  readonly demo: Demo;
  readonly notifications: Notifications;
  dispose(): Promise<void>;
}
