import type { MeterDiscovery } from './discovery.js';

/**
 * A meter session waits out its backoff after the adapter is unplugged. When an adapter we can
 * drive is plugged in, wake it at once: the reconnect follows the hot-plug event instead of the
 * next retry (which may be half a minute away). Returns the unsubscribe.
 */
export function reconnectOnAttach(discovery: MeterDiscovery, session: { retryNow(): void }): () => void {
  return discovery.onHotplug((e) => {
    if (e.kind === 'connect' && e.device.family !== null) session.retryNow();
  });
}
