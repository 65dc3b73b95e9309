import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WattletError } from '../../../main/api/errors.js';
import { FileLogger } from '../../../main/logging/index.js';

const WORDS = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const KEY = '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const ADDRESS = '0x52908400098527886E0F7030069857D2E4169EE7';
const mode = (f: string) => statSync(f).mode & 0o777;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wattlet-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileLogger redacts every entry through the one redactor', () => {
  it('keeps recovery words, keys, credentials and LAN addresses out of the file, in messages, facts and errors', () => {
    const file = join(dir, 'logs', 'wattlet.log');
    const echoed: string[] = [];
    const log = new FileLogger(file, { echo: (l) => echoed.push(l) });
    log.info(`restored ${WORDS.split(' ').map((w, i) => `${i + 1}. ${w}`).join(' ')}`);
    log.warn('import failed', { words: WORDS.split(' '), list: WORDS.split(' '), key: KEY });
    log.error('handler failed', { error: new Error(`bad key ${KEY.slice(0, 32)}\n${KEY.slice(32)}`) });
    log.error('unlock failed', { error: new WattletError('X', 'no', { phrase: WORDS.replace(/ /g, '-') }) });
    log.info('endpoint', { url: 'https://bob:s3cretpw@mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161', peer: '192.168.178.23' });
    log.info('anchored', { account: ADDRESS });
    const text = readFileSync(file, 'utf8');
    for (const leak of ['sausage', 'winner', KEY.slice(0, 16), KEY.slice(32, 48), 's3cretpw', '9aa3d95b3bc440fa', '192.168.178.23']) {
      expect(text).not.toContain(leak);
      expect(echoed.join('\n')).not.toContain(leak);
    }
    // The household's own log keeps its address readable; every line is still one JSON object.
    expect(text).toContain(ADDRESS);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { level: string; message: string });
    expect(lines.map((l) => l.level)).toEqual(['info', 'warn', 'error', 'error', 'info', 'info']);
    expect(lines[0]!.message).toBe('restored 1. [redacted:mnemonic]');
  });

  it('does not throw on facts it cannot serialise, nor when its folder is gone', () => {
    const file = join(dir, 'logs', 'wattlet.log');
    const log = new FileLogger(file);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => log.info('cyclic', { cyclic })).not.toThrow();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ message: 'cyclic', facts: 'unserialisable' });
    rmSync(join(dir, 'logs'), { recursive: true });
    expect(() => log.info('after the folder went')).not.toThrow();
  });
});

describe('FileLogger rolls by size', () => {
  it('rolls wattlet.log to .1 … .keep at the cap and drops older ones, keeping every recent line in order', () => {
    const file = join(dir, 'wattlet.log');
    const log = new FileLogger(file, { maxBytes: 4096, keep: 3 });
    const n = 400;
    for (let i = 0; i < n; i++) log.info('refused connection', { seq: i, reason: 'bad-origin' });
    expect(readdirSync(dir).sort()).toEqual(['wattlet.log', 'wattlet.log.1', 'wattlet.log.2', 'wattlet.log.3']);
    const files = [`${file}.3`, `${file}.2`, `${file}.1`, file];
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(4096);
    // Oldest to newest, the kept lines are one unbroken run ending with the last line written.
    const seqs = files.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq));
    expect(seqs.at(-1)).toBe(n - 1);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => n - seqs.length + i));
    // 20,000 refused attempts must not grow the log without bound: the cap holds.
    const total = files.reduce((sum, f) => sum + statSync(f).size, 0);
    expect(total).toBeLessThanOrEqual(4 * 4096);
  });

  it('counts what is already in the file when it starts', () => {
    const file = join(dir, 'wattlet.log');
    writeFileSync(file, 'x'.repeat(4000) + '\n');
    new FileLogger(file, { maxBytes: 4096, keep: 2 }).info('one more line that does not fit in what is left');
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('x'.repeat(4000) + '\n');
    expect(readFileSync(file, 'utf8')).toContain('one more line');
  });
});

describe('FileLogger file modes', () => {
  it('creates its folder 0700 and its files 0600, rolled ones included', () => {
    const file = join(dir, 'logs', 'wattlet.log');
    const log = new FileLogger(file, { maxBytes: 1024, keep: 2 });
    for (let i = 0; i < 40; i++) log.info('line', { i });
    expect(mode(join(dir, 'logs'))).toBe(0o700);
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(mode(f)).toBe(0o600);
  });

  it('tightens a log file an older version left readable by others', () => {
    mkdirSync(join(dir, 'logs'));
    const file = join(dir, 'logs', 'wattlet.log');
    writeFileSync(file, '{}\n');
    chmodSync(file, 0o644);
    new FileLogger(file);
    expect(mode(file)).toBe(0o600);
    expect(existsSync(file)).toBe(true);
  });
});
