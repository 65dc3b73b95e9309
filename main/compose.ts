import { join } from 'node:path';
import type { Settings } from './api/app.js';
import { createDispatcher, type Dispatch } from './api/dispatcher.js';
import { EventBus } from './api/event-bus.js';
import type { OsSerialPortInfo } from './api/meter.js';
import { appHandlers, runningApp } from './app-handlers.js';
import { projectRoot } from './app-paths.js';
import { createDemo, type Demo } from './demo/index.js';
import { createDiagnostics, recordingDispatch } from './diagnostics/index.js';
import { createHistory, type HistoryService } from './history/index.js';
import { ChainConnection, createLedger, historyReadingSource, walletTransactionSender, type Ledger } from './ledger/index.js';
import { Disposables } from './lifecycle/disposables.js';
import { FileLogger, type Logger } from './logging/index.js';
import { createMarket, historyExportSource } from './market/index.js';
import { createMeter, type Meter } from './meter/create-meter.js';
import type { UsbBackend } from './meter/usb/usb-backend.js';
import { prepareDataDir } from './settings/prepare-data-dir.js';
import { SettingsStore } from './settings/settings-store.js';
import { createWallet, noApprovalSurface, type ApprovalSurface, type Keychain, type WalletService } from './wallet/index.js';

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
  /** Electron's save dialog for the support bundle; null answer = the person cancelled. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
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
  dispose(): Promise<void>;
}

/**
 * The composition root: it only connects the rooms' factories, each given its ports, and disposes
 * them in reverse order. Both hosts and the tests call it; nothing else builds services.
 */
export async function composeServices(options: ComposeOptions): Promise<Services> {
  const { dataDir, host } = options;
  const parts = options.parts ?? {};
  const now = parts.now ?? Date.now;
  const root = projectRoot();
  const rooms = new Disposables();
  const notPrivate = prepareDataDir(dataDir);
  const logger = parts.logger ?? new FileLogger(join(dataDir, 'logs', 'wattlet.log'));
  if (notPrivate.length) logger.warn('could not make these data folder entries private to their user', { paths: notPrivate.slice(0, 20) });
  const bus = rooms.add(new EventBus({ onListenerError: (error) => logger.error('an event listener failed', { error }) }));
  const settings = rooms.add(await SettingsStore.open(join(dataDir, 'settings.json'), options.settingsOverrides));
  rooms.add(settings.onChange((s) => bus.emit('settings.changed', s)));
  const selector = options.meter ?? 'none';
  const serial = settings.current.meterId ?? selector;

  try {
    const history = rooms.add(createHistory({ dataDir, root, bus, logger, now }));
    const chain = rooms.add(new ChainConnection({ configured: () => settings.current }));
    const wallet = rooms.add(createWallet({
      dataDir, root, chain, bus, logger, surface: options.approval ?? noApprovalSurface, household: history.household,
      autoLockSeconds: () => settings.current.autoLockSeconds, ...(parts.keychain ? { keychain: parts.keychain } : {}),
    }));
    const demo = rooms.add(createDemo({ meter: selector, serial, days: options.demoDays ?? 60, history: history.service, chain, wallet: wallet.service, bus, logger, now }));
    const meter = rooms.add(createMeter({ source: demo.meter ?? { selector, serial, ...(parts.usbBackend ? { backend: parts.usbBackend } : {}) }, bus, logger }));
    rooms.add(history.record(meter.readings));
    const ledger = rooms.add(createLedger({
      chain, dataDir, bus, logger, now, meter: meter.serial, local: historyReadingSource(history.service), handovers: demo.handovers,
      signer: walletTransactionSender(wallet.service),
    }));
    const market = rooms.add(createMarket({
      chain, bus, wallet: wallet.service, meterId: ledger.meterId, handovers: ledger.handovers, exportHistory: historyExportSource(history.service),
    }));
    const info = runningApp({ version: options.version, host, mode: demo.meter ? 'demo' : 'live', dataDir, startedAt: now() });
    const diagnostics = rooms.add(createDiagnostics({
      backend: meter.backend, discovery: meter.discovery, session: meter.session, sessionDeviceId: meter.deviceId, openDevice: meter.openDevice,
      ...(parts.serialPorts ? { serialPorts: parts.serialPorts } : {}), bus, dataDir, root, settings: () => settings.current,
      appInfo: () => ({ ...info }), sections: async () => ({ wallet: wallet.service.status(), meter: meter.session?.status() ?? null }),
      ...(options.chooseSavePath ? { chooseSavePath: options.chooseSavePath } : {}),
      onListenerError: (error) => logger.error('a diagnostics listener failed', { error }),
    }));

    const handlers = {
      ...appHandlers({ settings, now, info }), ...history.handlers, ...meter.handlers, ...wallet.handlers,
      ...ledger.handlers, ...market.handlers, ...diagnostics.handlers,
    };
    // Every error answered to the UI is also kept (redacted) for the support bundle.
    const dispatch = recordingDispatch(
      createDispatcher(handlers, { onInternalError: (channel, error) => logger.error('handler failed', { channel, error }) }),
      diagnostics.recentErrors,
    );
    logger.info('services started', { host, mode: info.mode });
    return { bus, dispatch, settings, logger, meter, history: history.service, wallet: wallet.service, ledger, demo, dispose: () => rooms.dispose() };
  } catch (error) {
    await rooms.dispose().catch((e: unknown) => logger.error('a room failed to stop after a failed start', { error: e }));
    throw error;
  }
}
