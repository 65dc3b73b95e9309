import { join } from 'node:path';
import type { Settings } from './api/app.js';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher.js';
import { EventBus } from './api/event-bus.js';
import { appHandlers } from './app-handlers.js';
import { projectRoot } from './app-paths.js';
import { backfillDemoHistory, DEMO_METER_ID, DEMO_SEED, DEMO_TARIFF_ID } from './compose/demo-history.js';
import type { WireContext } from './compose/wire-context.js';
import { historyReadingSource } from './ledger/operator/history-source.js';
import { historyExportSource } from './market/export-history.js';
import { wireDiagnostics } from './compose/wire-diagnostics.js';
import { createHistory } from './history/create-history.js';
import { wireLedger, type LedgerWiring } from './compose/wire-ledger.js';
import { wireMarket } from './compose/wire-market.js';
import { wireMeter, type MeterWiring } from './compose/wire-meter.js';
import { wireWallet } from './compose/wire-wallet.js';
import { recordingDispatch } from './diagnostics/recent-errors.js';
import type { HttpRoute } from './host/http-route.js';
import { Disposables } from './lifecycle/disposables.js';
import type { OsSerialPortInfo } from './api/meter.js';
import { FileLogger, type Logger } from './logging/index.js';
import type { UsbBackend } from './meter/usb/usb-backend.js';
import type { Keychain } from './wallet/keychain.js';
import { SimulatedDsmrMeter } from './meter/sim/meters/simulated-dsmr-meter.js';
import { prepareDataDir } from './settings/prepare-data-dir.js';
import { SettingsStore } from './settings/settings-store.js';
import { noApprovalSurface, type ApprovalSurface } from './wallet/approval-surface.js';
import type { WalletService } from './wallet/wallet-service.js';
import type { HistoryService } from './history/service.js';

export interface ComposeOptions {
  readonly dataDir: string;
  readonly host: 'electron' | 'browser' | 'cli';
  readonly version: string;
  /** 'demo' (simulated cable and meter), 'none', a USB serial, vid:pid or OS serial path. Default 'none'. */
  readonly meter?: string;
  /** Demo mode: days of simulated history to create in an empty data folder. */
  readonly demoDays?: number;
  /** Settings given on the command line win over the stored ones for this run. */
  readonly settingsOverrides?: Partial<Settings>;
  /** Where a person approves signatures: Electron's modal window or the browser host's page. */
  readonly approval?: ApprovalSurface;
  /** Electron's save dialog for the support bundle; null answer = the person cancelled. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Real parts swapped in (tests, and the CLI's own hardware): everything else is built here. */
  readonly parts?: ComposeParts;
}

/**
 * The parts a test (or a host) may hand the composition instead of the ones it builds itself.
 * Each is a real part: a simulated USB bus speaks the adapters' real control requests, a
 * keychain is a real (private) Secret Service, a clock is a chosen day.
 */
export interface ComposeParts {
  /** The USB bus meters are found on: default the real one (`usb`), demo mode's simulated bus in demo mode. */
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
  /** Extra HTTP routes for the browser host (the wallet's approval page). */
  readonly routes: readonly HttpRoute[];
  readonly meter: MeterWiring;
  readonly history: HistoryService;
  readonly wallet: WalletService;
  readonly ledger: LedgerWiring;
  dispose(): Promise<void>;
}

/**
 * The composition root: every service is constructed here with its dependencies, and disposed
 * here in reverse order. Both hosts call it; nothing else creates services.
 */
export async function composeServices(options: ComposeOptions): Promise<Services> {
  const parts = options.parts ?? {};
  const now = parts.now ?? Date.now;
  const disposables = new Disposables();
  const notPrivate = prepareDataDir(options.dataDir);
  const logger = parts.logger ?? new FileLogger(join(options.dataDir, 'logs', 'wattlet.log'));
  if (notPrivate.length) logger.warn('could not make these data folder entries private to their user', { paths: notPrivate.slice(0, 20) });
  const bus = disposables.add(new EventBus({ onListenerError: (error) => logger.error('an event listener failed', { error }) }));
  const settings = disposables.add(await SettingsStore.open(join(options.dataDir, 'settings.json'), options.settingsOverrides));
  disposables.add(settings.onChange((s) => bus.emit('settings.changed', s)));
  const meterChoice = options.meter ?? 'none';
  const mode: 'demo' | 'live' = meterChoice === 'demo' ? 'demo' : 'live';
  const ctx: WireContext = { dataDir: options.dataDir, mode, host: options.host, root: projectRoot(), bus, settings, logger, disposables, now };

  try {
    const history = disposables.add(createHistory({ dataDir: options.dataDir, root: ctx.root, bus, logger, now }));
    let demoMeter: SimulatedDsmrMeter | undefined;
    if (meterChoice === 'demo') {
      // The live simulated meter continues the simulated past, so its first telegram is no "new meter".
      const startWh = backfillDemoHistory(history.service, now(), options.demoDays ?? 60);
      // The demo household is Dutch (a DSMR 5 meter): bill it on the European time-of-use example.
      if (history.service.activeTariffId === null) history.service.setActiveTariff(DEMO_TARIFF_ID);
      demoMeter = new SimulatedDsmrMeter({ version: '5.0', seed: DEMO_SEED, equipmentId: DEMO_METER_ID, household: { startWh } });
    }
    const meter = wireMeter(ctx, { selector: meterChoice, ...(demoMeter ? { demoMeter } : {}), ...(parts.usbBackend ? { backend: parts.usbBackend } : {}) });
    if (meter.session) {
      const session = meter.session;
      disposables.add(history.record((listener) => session.onReading(listener)));
      meter.session.start();
    }

    const ledger = wireLedger(ctx, {
      meter: meterChoice === 'demo' ? DEMO_METER_ID : (settings.current.meterId ?? meterChoice),
      local: historyReadingSource(history.service),
      demoDays: options.demoDays ?? 60,
    });
    const { wallet, handlers: walletHandlers } = wireWallet(ctx, options.approval ?? noApprovalSurface, ledger, {
      history: history.service,
      ...(parts.keychain ? { keychain: parts.keychain } : {}),
    });
    ledger.connectWallet(wallet);
    const market = wireMarket(ctx, {
      chain: ledger,
      wallet,
      meterId: ledger.meterId,
      handovers: ledger.handovers,
      exportHistory: historyExportSource(history.service),
      minDepth: ledger.minDepth(),
    });

    const info = {
      name: 'Wattlet',
      version: options.version,
      host: options.host,
      mode,
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.versions.node,
      dataDir: options.dataDir,
      startedAt: now(),
    };
    const diagnostics = wireDiagnostics(ctx, meter, {
      ...(parts.serialPorts ? { serialPorts: parts.serialPorts } : {}),
      appInfo: () => ({ ...info }),
      sections: async () => ({ wallet: wallet.status(), meter: meter.session?.status() ?? null }),
      ...(options.chooseSavePath ? { chooseSavePath: options.chooseSavePath } : {}),
    });

    const routes: HttpRoute[] = [];
    const handlers: Partial<Handlers> = {
      ...appHandlers({ settings, now, info }),
      ...history.handlers,
      ...meter.handlers,
      ...walletHandlers,
      ...ledger.handlers,
      ...market.handlers,
      ...diagnostics.handlers,
    };

    // Every error answered to the UI is also kept (redacted) for the support bundle.
    const dispatch = recordingDispatch(
      createDispatcher(handlers, {
        onInternalError: (channel, error) => logger.error('handler failed', { channel, error }),
      }),
      diagnostics.recentErrors,
    );
    logger.info('services started', { host: options.host, mode });

    return {
      bus,
      dispatch,
      settings,
      logger,
      routes,
      meter,
      history: history.service,
      wallet,
      ledger,
      dispose: () => disposables.dispose(),
    };
  } catch (error) {
    await disposables.dispose().catch(() => {});
    throw error;
  }
}
