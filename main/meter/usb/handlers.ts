import type { EventBus } from '../../api/event-bus.js';
import type { Handlers } from '../../api/dispatcher.js';
import type { OsSerialPortInfo } from '../../api/meter.js';
import { listOsSerialPorts } from '../serial/os-serial-ports.js';
import type { MeterDiscovery } from './discovery.js';

type MeterChannel = 'meter.usbStatus' | 'meter.devices' | 'meter.serialPorts' | 'meter.choosePath';

export interface MeterHandlerDeps {
  readonly discovery: MeterDiscovery;
  readonly listOsPorts?: () => Promise<OsSerialPortInfo[]>;
}

/** The meter channels of the contract over a discovery service (wired in the composition root). */
export function meterUsbHandlers(deps: MeterHandlerDeps): Pick<Handlers, MeterChannel> {
  const listOs = deps.listOsPorts ?? (() => listOsSerialPorts());
  return {
    'meter.usbStatus': () => deps.discovery.status(),
    'meter.devices': async () => ({ devices: await deps.discovery.list() }),
    'meter.serialPorts': async () => ({ ports: await listOs() }),
    'meter.choosePath': (req) => deps.discovery.choosePath(req.deviceId, req.choice),
  };
}

/** Forwards hot-plug to the contract's 'meter.hotplug' event; returns the unsubscribe. */
export function forwardHotplug(discovery: MeterDiscovery, bus: EventBus): () => void {
  return discovery.onHotplug((e) => bus.emit('meter.hotplug', e));
}
