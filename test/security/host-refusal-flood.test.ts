import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTarget, stillAnswering, type Target } from './support/attacker.js';
import { rawExchange } from './support/raw-websocket.js';

// Issue 14, point 6: every refused connection wrote a log line, so anyone on the machine could
// grow the log without bound (20,000 refused attempts in 5 s added 2.2 MB). The host now writes
// the first few refusals of a window in full and counts the rest into one summary line.
const ATTEMPTS = 20_000;
const PARALLEL = 200;
let target: Target;
let port: number;

beforeAll(async () => {
  target = await startTarget();
  port = Number(new URL(target.host.origin).port);
});
afterAll(async () => {
  await target?.stop();
});

function logBytes(dataDir: string): number {
  const dir = join(dataDir, 'logs');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

function logLines(dataDir: string): Array<{ message: string; reason?: string; count?: number; byReason?: Record<string, number> }> {
  const dir = join(dataDir, 'logs');
  return readdirSync(dir)
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { message: string });
}

it(`${ATTEMPTS} refused attempts add a bounded number of bytes to the log, and the summary counts every one`, async () => {
  const { host } = target;
  const key = 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nUpgrade: websocket\r\nConnection: Upgrade';
  // Four kinds of knock, as a local process would try: wrong token, foreign Origin, rebound Host, no token.
  const knocks = [
    `GET /api?token=${'x'.repeat(43)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${host.origin}\r\n${key}\r\n\r\n`,
    `GET /api?token=${host.token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://evil.example\r\n${key}\r\n\r\n`,
    `GET /api?token=${host.token} HTTP/1.1\r\nHost: evil.example:${port}\r\nOrigin: ${host.origin}\r\n${key}\r\n\r\n`,
    `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${host.origin}\r\n${key}\r\n\r\n`,
  ];
  const before = logBytes(host.dataDir);
  let sent = 0;
  const statuses = new Map<string, number>();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (sent < ATTEMPTS) {
        const knock = knocks[sent++ % knocks.length]!;
        const status = (await rawExchange(port, knock)).slice(9, 12);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const grown = logBytes(host.dataDir) - before;
  expect(Object.fromEntries(statuses)).toEqual({ '401': ATTEMPTS / 2, '403': ATTEMPTS / 4, '421': ATTEMPTS / 4 });
  expect(await stillAnswering(host)).toBe(true);
  // Five full lines per minute-long window (about 150 bytes each), however many knocks.
  const windows = Math.ceil(seconds / 60) + 1;
  console.log(`${ATTEMPTS} refused attempts in ${seconds.toFixed(1)} s grew the log by ${grown} bytes`);
  expect(grown).toBeLessThan(windows * 6 * 400);

  // On stop the open window's summary is written: written lines plus counted ones are every knock.
  await host.stop();
  const lines = logLines(host.dataDir);
  const written = lines.filter((l) => l.message === 'refused a websocket connection');
  const summaries = lines.filter((l) => l.message === 'refused more connections than were logged one by one');
  expect(written.length).toBeLessThanOrEqual(5 * windows);
  expect(summaries.length).toBeGreaterThan(0);
  const counted = summaries.reduce((sum, l) => sum + (l.count ?? 0), 0);
  expect(written.length + counted).toBe(ATTEMPTS);
  const byReason: Record<string, number> = {};
  for (const l of written) byReason[l.reason!] = (byReason[l.reason!] ?? 0) + 1;
  for (const s of summaries) for (const [r, n] of Object.entries(s.byReason ?? {})) byReason[r] = (byReason[r] ?? 0) + n;
  expect(byReason).toEqual({ unauthorized: ATTEMPTS / 2, origin: ATTEMPTS / 4, host: ATTEMPTS / 4 });
  // The log names no token, not even the one the knocks carried.
  expect(lines.map((l) => JSON.stringify(l)).join('\n')).not.toContain(host.token);
});
