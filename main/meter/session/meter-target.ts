import type { SmartyKeys } from '../protocols/dsmr/smarty-frame.js';
import type { MeterProtocol } from '../reading.js';
import type { LineSettings } from '../serial/line-settings.js';
import { Dlt645Poller } from './dlt645-poller.js';
import { Iec62056Poller } from './iec62056-poller.js';
import type { MeterReader } from './meter-reader.js';
import { ModbusPoller } from './modbus-poller.js';
import { PushReader } from './push-reader.js';

/** A protocol and the line it runs on: what detection finds and what the session reads. */
export interface MeterTarget {
  readonly protocol: MeterProtocol;
  readonly line: LineSettings;
  readonly smarty?: SmartyKeys;
  /** DL/T 645 address or Modbus slave, when known. */
  readonly address?: string;
}

/** The line each protocol normally runs on (DSMR 2.2 is 9600 7E1, see detection). */
export function defaultLine(protocol: MeterProtocol): LineSettings {
  switch (protocol) {
    case 'dsmr':
      return { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 };
    case 'iec62056-21':
      return { baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 };
    case 'dlt645':
      return { baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 };
    case 'sml':
    case 'modbus':
      return { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };
  }
}

export interface ReaderTiming {
  /** Poll interval of request/response meters. */
  readonly pollMs: number;
  /** Silence after which a push meter's link counts as dead. */
  readonly silenceMs: number;
  readonly answerTimeoutMs?: number;
}

export function createReader(target: MeterTarget, timing: ReaderTiming): MeterReader {
  const t = timing.answerTimeoutMs;
  switch (target.protocol) {
    case 'dsmr':
      return new PushReader('dsmr', timing.silenceMs, target.smarty ? { smarty: target.smarty } : {});
    case 'sml':
      return new PushReader('sml', timing.silenceMs);
    case 'iec62056-21':
      return new Iec62056Poller(timing.pollMs, { ...(target.address ? { address: target.address } : {}), ...(t ? { answerTimeoutMs: t } : {}) });
    case 'dlt645':
      return new Dlt645Poller(timing.pollMs, { ...(target.address ? { address: target.address } : {}), ...(t ? { answerTimeoutMs: t } : {}) });
    case 'modbus':
      return new ModbusPoller(timing.pollMs, { ...(target.address ? { slave: Number(target.address) } : {}), ...(t ? { answerTimeoutMs: t } : {}) });
  }
}
