import type { MeterProtocol } from '../reading.js';
import type { DecoderCountOptions } from './decoder-base.js';
import type { DecodeListener, StreamDecoder } from './decoder.js';
import { Dlt645Decoder } from './dlt645/dlt645-decoder.js';
import { DsmrDecoder } from './dsmr/dsmr-decoder.js';
import { SmartyDecoder } from './dsmr/smarty-decoder.js';
import type { SmartyKeys } from './dsmr/smarty-frame.js';
import { Iec62056Decoder } from './iec62056-21/iec-decoder.js';
import { ModbusDecoder } from './modbus/modbus-decoder.js';
import { SmlDecoder } from './sml/sml-decoder.js';

export const METER_PROTOCOLS: readonly MeterProtocol[] = ['dsmr', 'iec62056-21', 'dlt645', 'sml', 'modbus'];

export interface DecoderOptions extends DecoderCountOptions {
  /** DSMR only: Smarty (Luxembourg) keys; when given, frames are decrypted first. */
  readonly smarty?: SmartyKeys;
}

/** The decoder for a protocol. */
export function createDecoder(protocol: MeterProtocol, listener: DecodeListener, options: DecoderOptions = {}): StreamDecoder {
  const counts = { stats: options.stats };
  switch (protocol) {
    case 'dsmr':
      return options.smarty ? new SmartyDecoder(listener, options.smarty, counts) : new DsmrDecoder(listener, counts);
    case 'iec62056-21':
      return new Iec62056Decoder(listener, counts);
    case 'dlt645':
      return new Dlt645Decoder(listener, counts);
    case 'sml':
      return new SmlDecoder(listener, counts);
    case 'modbus':
      return new ModbusDecoder(listener, counts);
  }
}
