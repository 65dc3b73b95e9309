import type { MeterProtocol } from '../reading.js';

/**
 * Known meter quirks, as data: who has one (the manufacturer's FLAG id, serial ranges, model),
 * what Wattlet does about it, and where the knowledge comes from. A decoder applies an entry
 * only to a meter that matches it and names the entry on the reading (`Reading.quirks`), so
 * Diagnostics shows every correction; nothing is corrected silently. The UI's words for each
 * entry are in renderer/i18n (diagnostics.quirk.<id>).
 */
export type QuirkId = 'dzg-dvs74-power-sign' | 'holley-dtz541-kermit-crc' | 'dsmr-crc-unpadded' | 'dsmr-unit-without-star';

export interface MeterQuirk {
  readonly id: QuirkId;
  readonly protocol: MeterProtocol;
  /** The manufacturer's three-letter FLAG id as the meter states it (SML server id), if it matters. */
  readonly manufacturer?: string;
  /** Inclusive ranges of the serial number (the server id's last five bytes, as an integer). */
  readonly serialRanges?: readonly (readonly [number, number])[];
  /** The model, where the source names it (for the documentation: SML does not carry it). */
  readonly model?: string;
  /** What the meter does wrong and what Wattlet does about it. */
  readonly correction: string;
  /** Where this is known from: the reference implementation and the capture that shows it. */
  readonly source: string;
}

export const QUIRKS: readonly MeterQuirk[] = [
  {
    id: 'dzg-dvs74-power-sign',
    protocol: 'sml',
    manufacturer: 'DZG',
    model: 'DVS-74 (DVS-7412, DVS-7420 of these serial ranges)',
    serialRanges: [
      [42_000_000, 48_999_999],
      [55_000_000, 58_999_999],
    ],
    correction:
      'Sends 1-0:16.7.0 (active power) as a signed integer of one or two bytes although the value is unsigned: 356.24 W import reads as −299.12 W (export). The value is read as unsigned. Serials from 60000000 on have the fault fixed and send real negative values.',
    source:
      'libsml sml/src/sml_list.c detect_buggy_dzg_dvs74 and SML_WORKAROUND_DZG_NEGATIVE (volkszaehler/libsml); capture DZG_DVS-7412.2_jmberg.bin, devZer0/libsml-testing ("Wrongly encoded power value 356.24 as -299.12"); a fixed meter: DZG_DVS-7420.2V.G2_mtr2_neg.bin (serial 60694611, a real −105.50 W)',
  },
  {
    id: 'holley-dtz541-kermit-crc',
    protocol: 'sml',
    manufacturer: 'HLY',
    model: 'DTZ541',
    correction:
      'Checksums the SML transmission with CRC-16/KERMIT (value sent high byte first) instead of CRC-16/X.25. A transmission whose X.25 check fails is accepted when its KERMIT check holds and the file names a Holley meter; from any other meter it stays METER_CHECKSUM.',
    source:
      'open-sml lib/SmlFile.js and lib/SmlCRC.js crc16Kermit ("Holley DTZ541 wrongly implemented CRC Algorithm", npm open-sml 1.0.4, used by smartmeter-obis); libsml sml/src/sml_message.c ("Workaround for Holley DTZ541 uses CRC-16/Kermit"); SmlLib (spacemanspiff2007/SmlLib) SmlStreamReader(crc="kermit")',
  },
  {
    id: 'dsmr-crc-unpadded',
    protocol: 'dsmr',
    model: 'heat-link devices (seen on any DSMR meter, applied wherever seen)',
    correction: 'Writes the telegram CRC without its leading zeros ("!B9F" for 0B9F). One to three hex digits followed by CR are read as the CRC and checked as usual.',
    source: 'dsmr_parser dsmr_parser/clients/telegram_buffer.py (ndokter/dsmr_parser): telegrams end "![A-F0-9]{0,4}\\r\\n"',
  },
  {
    id: 'dsmr-unit-without-star',
    protocol: 'dsmr',
    model: 'Fluvius meters of early firmware (seen on any DSMR meter, applied wherever seen)',
    correction: 'Writes values without the "*" before the unit ("(000439.094kWh)", early Fluvius firmware). The number and the unit are told apart where the letters begin.',
    source: 'smartathome/fluvius2mqtt README: a Fluvius meter\'s P1 output, "/FLU5\\253…" … "1-0:1.8.1(000439.094kWh)"',
  },
];

export function quirkById(id: string): MeterQuirk | undefined {
  return QUIRKS.find((q) => q.id === id);
}
