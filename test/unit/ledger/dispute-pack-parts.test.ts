import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, packDigest } from '../../../main/ledger/dispute/canonical-json.js';
import { kWhText } from '../../../main/ledger/dispute/pack-statement.js';
import { verifyDisputePack, verifyIntervalProof } from '../../../main/ledger/dispute/verify-pack.js';
import { differenceText } from '../../../main/cli/commands/ledger-verify-file.js';

describe('the pack digest', () => {
  it('does not depend on key order or whitespace, and changes with any value', () => {
    const a = { b: [1, { y: 'x', x: null }], a: '0x01', c: true };
    const b = JSON.parse(JSON.stringify({ c: true, a: '0x01', b: [1, { x: null, y: 'x' }] }, null, 4)) as unknown;
    expect(canonicalJson(a)).toBe('{"a":"0x01","b":[1,{"x":null,"y":"x"}],"c":true}');
    expect(packDigest(a)).toBe(packDigest(b));
    expect(packDigest({ ...a, a: '0x02' })).not.toBe(packDigest(a));
    expect(packDigest({ ...a, b: [1, { y: 'x', x: 0 }] })).not.toBe(packDigest(a));
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(RangeError);
  });

  it('kWh from integer Wh, three decimals', () => {
    expect(kWhText(14_390n)).toBe('14.390');
    expect(kWhText(5n)).toBe('0.005');
    expect(kWhText(-410n)).toBe('-0.410');
  });

  it('a difference in words: kWh, more or less, the UTC span and how many quarter-hours', () => {
    expect(
      differenceText([
        { subject: '2026-12-01T18:00Z importWh', expected: '100', actual: '300' },
        { subject: '2026-12-01T18:45Z importWh', expected: '500', actual: '710' },
        { subject: '2026-12-01T18:45Z exportWh', expected: '90', actual: '0' },
      ]),
    ).toBe('the operator has 0.410 kWh more imported, 0.090 kWh less exported between 18:00 and 19:00 UTC, in 2 quarter-hour(s)');
  });
});

describe('offline verification of a file that is not one', () => {
  it('refuses at the format step, whatever it is handed', async () => {
    for (const raw of [undefined, null, 'text', 42, [], {}, { format: 'wattlet.dispute-pack/1' }]) {
      expect(await verifyDisputePack(raw)).toMatchObject({ ok: false, refusedAt: 'format', code: 'PACK_MALFORMED' });
      expect(await verifyIntervalProof(raw)).toMatchObject({ ok: false, refusedAt: 'format', code: 'PACK_MALFORMED' });
    }
  });

  it('needs nothing of Node: a pack verifies where the verifier runs (the window, a browser)', () => {
    const root = resolve(import.meta.dirname, '../../..');
    const nodeOnly = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'hardhat', 'keytar', 'usb', 'better-sqlite3', 'electron']);
    const seen = new Set<string>();
    const packages = new Set<string>();
    const todo = ['main/ledger/dispute/verify-pack.ts', 'main/ledger/dispute/build-pack.ts', 'main/ledger/checkpoint/checkpoint-text.ts'].map((e) => resolve(root, e));
    while (todo.length) {
      const file = todo.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      expect(src, file).not.toMatch(/\bprocess\.|\bBuffer\b|__dirname|require\(/);
      for (const m of src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        else packages.add(spec);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
    expect([...packages].filter((p) => nodeOnly.has(p.split('/')[0]!) || nodeOnly.has(p))).toEqual([]);
  });
});
