import { createReadStream } from 'node:fs';
import { fromHex } from '../../common/hex.js';
import { createDecoder, METER_PROTOCOLS } from '../../meter/protocols/create-decoder.js';
import type { DecodeEvent } from '../../meter/protocols/decoder.js';
import type { SmartyKeys } from '../../meter/protocols/dsmr/smarty-frame.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { oneOf, requireOptions, UsageError } from '../usage-error.js';

const USAGE = `Usage: wattlet meter decode --protocol <${METER_PROTOCOLS.join('|')}> [--key HEX] [--aad HEX] [--hex] FILE|-

Decodes a capture of meter bytes and prints one JSON object per frame: the reading, or the
error code and the byte offset where the bad frame starts. '-' reads standard input.

Options:
  --protocol P   dsmr, iec62056-21, dlt645, sml or modbus
  --key HEX      DSMR only: 16-byte decryption key of an encrypted (Luxembourg Smarty) meter
  --aad HEX      with --key: 16-byte authentication key (a leading 30 security byte is allowed);
                 default 00112233445566778899AABBCCDDEEFF
  --hex          the capture is hex text (whitespace ignored), not raw bytes
`;

const DEFAULT_AAD = '00112233445566778899AABBCCDDEEFF';

/** Bare hex digits with white space anywhere (as protocol analysers write them) → bytes, or null. */
function hexBytes(text: string): Uint8Array | null {
  const digits = text.replace(/\s+/g, '');
  return /x/i.test(digits) ? null : fromHex(digits);
}

/** Hex text arriving in chunks → bytes, carrying an odd nibble across chunk edges. */
class HexStream {
  #carry = '';
  bad = false;
  take(chunk: string): Uint8Array {
    const s = this.#carry + chunk.replace(/\s+/g, '');
    const even = s.length - (s.length % 2);
    this.#carry = s.slice(even);
    const bytes = hexBytes(s.slice(0, even));
    if (!bytes) this.bad = true;
    return bytes ?? new Uint8Array(0);
  }
}

function line(e: DecodeEvent): string {
  if (e.kind === 'reading') return JSON.stringify({ offset: e.offset, length: e.length, reading: e.reading });
  if (e.kind === 'error') return JSON.stringify({ offset: e.offset, length: e.length, error: e.code, detail: e.detail });
  if (e.kind === 'frame') return JSON.stringify({ offset: e.offset, length: e.length, frame: e.what, facts: e.facts });
  return JSON.stringify(e); // any other kind the decoders report, as they report it
}

export const meterDecode: Command = defineCommand({
  name: 'meter decode',
  summary: 'Decode a meter capture (DSMR, IEC 62056-21, DL/T 645, SML, Modbus) to JSON lines',
  usage: USAGE,
  options: { protocol: { type: 'string' }, key: { type: 'string' }, aad: { type: 'string' }, hex: { type: 'boolean' } },
  positionals: 1,
  async run({ values, positionals }, io) {
    requireOptions(values, ['protocol']);
    const protocol = oneOf(values.protocol!, 'protocol', METER_PROTOCOLS);
    let smarty: SmartyKeys | undefined;
    if (values.key !== undefined) {
      const key = hexBytes(values.key);
      let aad = hexBytes(values.aad ?? DEFAULT_AAD);
      if (aad && aad.length === 17 && aad[0] === 0x30) aad = aad.subarray(1);
      if (protocol !== 'dsmr' || !key || key.length !== 16 || !aad || aad.length !== 16) {
        throw new UsageError('--key and --aad must be 16 bytes of hex (32 hex digits), and only apply to --protocol dsmr');
      }
      smarty = { key, aad };
    }
    const file = positionals[0]!;
    const out: string[] = [];
    const flush = () => {
      if (out.length) io.stdout(`${out.join('\n')}\n`);
      out.length = 0;
    };
    const decoder = createDecoder(protocol, (e) => out.push(line(e)), smarty ? { smarty } : {});
    const hex = values.hex ? new HexStream() : null;
    try {
      const stream = file === '-' ? io.stdin : createReadStream(file);
      for await (const chunk of stream as AsyncIterable<Buffer | string>) {
        const bytes = hex
          ? hex.take(typeof chunk === 'string' ? chunk : chunk.toString('latin1'))
          : typeof chunk === 'string'
            ? new TextEncoder().encode(chunk)
            : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (hex?.bad) {
          io.stderr('--hex: the capture holds characters that are not hex digits\n');
          return 2;
        }
        decoder.push(bytes, Date.now());
        await decoder.settled();
        flush();
      }
      await decoder.settled();
      decoder.end(); // a frame the capture's end cut: METER_TRUNCATED with its offset
      await decoder.settled();
      flush();
    } catch (e) {
      flush();
      io.stderr(`Cannot read ${file}: ${(e as Error).message}\n`);
      return 1;
    }
    return 0;
  },
});
