import type { LineSettings } from '../serial/line-settings.js';
import type { SerialPort } from '../serial/serial-port.js';

/** Who hears what is done to a port: the session publishes it; the auto-probe logs its writes. */
export interface PortWatcher {
  opened?(line: LineSettings): void;
  openFailed?(error: unknown): void;
  lineChanged?(line: LineSettings): void;
  sent?(bytes: Uint8Array): void;
}

/**
 * The port as readers and detection use it: the same port, and every open, speed change and
 * write is also told to `watcher`, as data, after it succeeded. Received bytes are not wrapped:
 * whoever needs them listens to the port itself.
 */
export function publishedPort(port: SerialPort, watcher: PortWatcher): SerialPort {
  return {
    get path() {
      return port.path;
    },
    get family() {
      return port.family;
    },
    get settings() {
      return port.settings;
    },
    get stats() {
      return port.stats;
    },
    async open(settings) {
      try {
        await port.open(settings);
      } catch (e) {
        watcher.openFailed?.(e);
        throw e;
      }
      watcher.opened?.(settings);
    },
    async setLineSettings(settings) {
      await port.setLineSettings(settings);
      watcher.lineChanged?.(settings);
    },
    async write(bytes) {
      await port.write(bytes);
      watcher.sent?.(bytes);
    },
    setSignals: (signals) => port.setSignals(signals),
    onData: (listener) => port.onData(listener),
    onError: (listener) => port.onError(listener),
    close: () => port.close(),
  };
}
