import { join } from 'node:path';
import { createDispatcher } from './api/dispatcher.js';
import { EventBus } from './api/event-bus.js';
import { appHandlers, runningApp } from './app-handlers.js';
import { projectRoot } from './app-paths.js';
import type { ComposeOptions, Services } from './compose-options.js';
import { createDemo } from './demo/index.js';
import { createDiagnostics, recordingDispatch } from './diagnostics/index.js';
import { createHistory } from './history/index.js';
import { ChainConnection, createLedger, historyReadingSource, walletPackSigner, walletTransactionSender } from './ledger/index.js';
import { DisposableStore } from './lifecycle/disposables.js';
import { FileLogger } from './logging/index.js';
import { createMarket, historyExportSource, historyTariffSource } from './market/index.js';
import { createMeter } from './meter/create-meter.js';
import { createNotifications } from './notifications/index.js';
import { prepareDataDir } from './settings/prepare-data-dir.js';
import { SettingsStore } from './settings/settings-store.js';
import { createWallet, noApprovalSurface } from './wallet/index.js';

export type { ComposeOptions, ComposeParts, Services } from './compose-options.js';

/**
 * The composition root: it only connects the rooms' factories, each given its ports, and disposes
 * them in reverse order. Both hosts and the tests call it; nothing else builds services.
 */
export async function composeServices(options: ComposeOptions): Promise<Services> {
  const { dataDir, host } = options;
  const parts = options.parts ?? {};
  const now = parts.now ?? Date.now;
  const root = projectRoot();
  const rooms = new DisposableStore();
  const notPrivate = prepareDataDir(dataDir);
  const logger = parts.logger ?? new FileLogger(join(dataDir, 'logs', 'wattlet.log'));
  if (notPrivate.length) logger.warn('could not make these data folder entries private to their user', { paths: notPrivate.slice(0, 20) });
  const bus = rooms.add(new EventBus({ onListenerError: (error) => logger.error('an event listener failed', { error }) }));
  const settings = rooms.add(await SettingsStore.open(join(dataDir, 'settings.json'), options.settingsOverrides));
  rooms.add(settings.onChange((s) => bus.emit('settings.changed', s)));
  const selector = options.meter ?? 'none';
  const serial = settings.current.meterId ?? selector;

  try {
    const notifications = rooms.add(createNotifications({ bus, language: () => settings.current.language, os: options.osNotifier ?? null, now, onListenerError: (error) => logger.error('a notifications listener failed', { error }) }));
    const history = rooms.add(createHistory({ dataDir, root, bus, logger, now, ...(options.chooseSavePath ? { chooseSavePath: options.chooseSavePath } : {}) }));
    const chain = rooms.add(new ChainConnection({ configured: () => settings.current }));
    const wallet = rooms.add(createWallet({
      dataDir, root, chain, bus, logger, surface: options.approval ?? noApprovalSurface, household: history.household,
      language: () => settings.current.language, autoLockSeconds: () => settings.current.autoLockSeconds, ...(parts.keychain ? { keychain: parts.keychain } : {}),
    }));
    const demo = rooms.add(createDemo({ meter: selector, serial, days: options.demoDays ?? 60, history: history.service, chain, wallet: wallet.service, bus, logger, now }));
    const meter = rooms.add(createMeter({ source: demo.meter ?? { selector, serial, ...(parts.usbBackend ? { backend: parts.usbBackend } : {}) }, bus, logger }));
    rooms.add(history.record(meter.readings));
    const ledger = rooms.add(createLedger({
      chain, dataDir, bus, logger, now, meter: meter.serial, local: historyReadingSource(history.service), handovers: demo.handovers,
      signer: walletTransactionSender(wallet.service), packSigner: walletPackSigner(wallet.service),
      ...(options.chooseSavePath ? { chooseSavePath: options.chooseSavePath } : {}),
    }));
    const market = rooms.add(createMarket({
      chain, bus, wallet: wallet.service, meterId: ledger.meterId, handovers: ledger.handovers, exportHistory: historyExportSource(history.service),
      tariff: historyTariffSource(history.service), knownTokens: demo.tokens, notifier: notifications.notifier,
      onError: (error) => logger.warn('watching sales failed', { error }),
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
      ...ledger.handlers, ...market.handlers, ...diagnostics.handlers, ...notifications.handlers, ...demo.handlers,
    };
    // Every error answered to the UI is also kept (redacted) for the support bundle.
    const dispatch = recordingDispatch(
      createDispatcher(handlers, { onInternalError: (channel, error) => logger.error('handler failed', { channel, error }) }),
      diagnostics.recentErrors,
    );
    logger.info('services started', { host, mode: info.mode });
    return { bus, dispatch, settings, logger, meter, history: history.service, wallet: wallet.service, ledger, demo, notifications, dispose: () => rooms.dispose() };
  } catch (error) {
    await rooms.dispose().catch((e: unknown) => logger.error('a room failed to stop after a failed start', { error: e }));
    throw error;
  }
}
