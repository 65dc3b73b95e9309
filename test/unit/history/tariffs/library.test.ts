import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isError } from '../../../../main/api/errors.js';
import { TariffLibrary } from '../../../../main/history/tariffs/library.js';
import { windowAt } from '../../../../main/history/tariffs/schema.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true });
});
function library() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wattlet-tariffs-'));
  dirs.push(dataDir);
  return { lib: new TariffLibrary({ dataDir, builtinDir: path.resolve('resources/tariffs') }), dataDir };
}

describe('TariffLibrary', () => {
  it('validates every shipped tariff', () => {
    const { lib } = library();
    const { tariffs, problems } = lib.list();
    expect(problems).toEqual([]);
    const files = fs.readdirSync('resources/tariffs').filter((f) => f.endsWith('.json'));
    expect(tariffs.map((t) => `${t.id}.json`).sort()).toEqual(files.sort());
    const kinds = new Set(tariffs.flatMap((t) => t.kinds));
    for (const k of ['flat', 'time-of-use', 'tiered', 'feed-in', 'net-metering', 'standing', 'tax']) expect(kinds.has(k as never)).toBe(true);
  });

  it('saves a user copy that shadows the built-in, and reports invalid tariffs with the path', () => {
    const { lib, dataDir } = library();
    const t = lib.get('cn-zhejiang-ladder-tou');
    expect(t.origin).toBe('builtin');
    const { origin: _origin, ...plain } = t;
    lib.save({ ...plain, energy: { ...plain.energy, prices: { peak: 60000, valley: 30000 } } });
    expect(lib.get('cn-zhejiang-ladder-tou')).toMatchObject({ origin: 'user', energy: { prices: { peak: 60000 } } });
    expect(fs.existsSync(path.join(dataDir, 'tariffs', 'cn-zhejiang-ladder-tou.json'))).toBe(true);
    try {
      lib.save({ ...plain, energy: { ...plain.energy, prices: { peak: 60000 } } }); // valley unpriced
      expect.unreachable();
    } catch (e) {
      expect(isError(e, 'TARIFF_INVALID')).toBe(true);
      expect((e as { facts: Record<string, unknown> }).facts.path).toBe('energy.schedule');
    }
    try {
      lib.get('no-such');
      expect.unreachable();
    } catch (e) {
      expect(isError(e, 'TARIFF_NOT_FOUND')).toBe(true);
    }
  });

  it('resolves wrapping windows', () => {
    const rules = [{ months: [1], days: ['mon' as const], periods: [{ from: '22:00', to: '08:00', window: 'valley' }, { from: '08:00', to: '22:00', window: 'peak' }] }];
    expect([windowAt(rules, 1, 0, 0), windowAt(rules, 1, 0, 479), windowAt(rules, 1, 0, 480), windowAt(rules, 1, 0, 1320), windowAt(rules, 2, 0, 0)]).toEqual([
      'valley',
      'valley',
      'peak',
      'valley',
      null,
    ]);
  });
});
