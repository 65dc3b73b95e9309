import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { meterDecode } from '../../../../main/cli/commands/meter-decode.js';
import { encryptSmartyFrame } from '../../../../main/meter/protocols/dsmr/smarty-frame.js';
import { concat } from './helpers.js';

// `wattlet meter decode`: the decoders as support staff use them, on capture files.
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/protocols/${name}`, import.meta.url)));

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await meterDecode.run(args, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdin: Readable.from([Buffer.from(stdin)]),
    env: {},
  });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'wattlet-decode-'));

describe('wattlet meter decode', () => {
  it('prints one JSON object per frame: readings, and errors with their byte offset', async () => {
    const file = join(dir, 'capture.bin');
    const v5 = fixture('dsmr-v5.txt');
    const damaged = v5.slice();
    damaged[100]! ^= 0x01;
    writeFileSync(file, concat([v5, damaged, v5]));
    const { code, out } = await run(['--protocol', 'dsmr', file]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.error ?? 'reading')).toEqual(['reading', 'METER_CHECKSUM', 'reading']);
    expect(lines[1]).toMatchObject({ offset: v5.length, length: v5.length - 2 });
    expect((lines[0]!.reading as { meterId: string }).meterId).toBe('K8EG004046395507');
  });

  it('ends with METER_TRUNCATED and its offset when the capture stops inside a frame (issue 21, item 8)', async () => {
    const file = join(dir, 'cut.bin');
    const v5 = fixture('dsmr-v5.txt');
    writeFileSync(file, concat([v5, v5.subarray(0, 300)]));
    const { code, out } = await run(['--protocol', 'dsmr', file]);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.error ?? 'reading')).toEqual(['reading', 'METER_TRUNCATED']);
    expect(lines[1]).toMatchObject({ offset: v5.length, length: 300 });
  });

  it('reads hex captures from standard input', async () => {
    const sml = '1B1B1B1B010101017605006345516200620072630101760101050021171B0B0A0149534B00047A5544726201650021155A620163828E00760500634552620062007263070177010B0A0149534B00047A5544070100620AFFFF726201650021155A757707010060320101010101010449534B0177070100600100FF010101010B0A0149534B00047A55440177070100010800FF650010010401621E52FF65000C13610177070100020800FF0101621E52FF62000177070100100700FF0101621B5200530860010101638E71007605006345536200620072630201710163AD55001B1B1B1B1A00D54B';
    const { code, out } = await run(['--protocol', 'sml', '--hex', '-'], sml.replace(/(.{64})/g, '$1\n'));
    expect(code).toBe(0);
    expect(JSON.parse(out.trim()).reading.meterId).toBe('0A0149534B00047A5544');
  });

  it('decrypts Smarty captures with --key and --aad (a leading 30 security byte accepted)', async () => {
    const keys = { key: new Uint8Array(16).fill(0xab), aad: Uint8Array.from({ length: 16 }, (_, i) => i) };
    const frame = await encryptSmartyFrame(fixture('dsmr-v4_2.txt'), keys, new TextEncoder().encode('KFM12345'), 7);
    const file = join(dir, 'smarty.bin');
    writeFileSync(file, frame);
    const ok = await run(['--protocol', 'dsmr', '--key', 'AB'.repeat(16), '--aad', `30${'000102030405060708090A0B0C0D0E0F'}`, file]);
    expect(JSON.parse(ok.out.trim()).reading.meterId).toBe('3960221976967177082151037881335713');
    const wrong = await run(['--protocol', 'dsmr', '--key', 'AC'.repeat(16), file]);
    expect(JSON.parse(wrong.out.trim())).toMatchObject({ offset: 0, error: 'METER_SMARTY_AUTH' });
  });

  it('rejects a missing or unknown protocol and malformed keys with the usage', async () => {
    expect((await run(['x.bin'])).code).toBe(2);
    expect((await run(['--protocol', 'mbus', 'x.bin'])).code).toBe(2);
    const bad = await run(['--protocol', 'dsmr', '--key', '1234', 'x.bin']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('16 bytes');
    expect((await run(['--protocol', 'dlt645', join(dir, 'missing.bin')])).code).toBe(1);
  });
});
