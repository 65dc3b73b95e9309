import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mutation = (method: string, params: unknown[], result: unknown) => unknown;

/**
 * A JSON-RPC proxy in front of the real node that can rewrite answers: the lying endpoint a
 * household must not believe. `mutate` sees each call's method, params and faithful result.
 */
export async function startTamperProxy(target: string): Promise<{ url: string; mutate: Mutation | null; close(): Promise<void> }> {
  const state: { mutate: Mutation | null } = { mutate: null };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const call = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const answer = (await upstream.json()) as { result?: unknown };
      try {
        if (state.mutate && 'result' in answer) answer.result = state.mutate(call.method, call.params, answer.result);
      } catch (e) {
        // A broken mutation must fail the test visibly, not hang the client.
        res.statusCode = 500;
        res.end(String(e));
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get mutate() {
      return state.mutate;
    },
    set mutate(m: Mutation | null) {
      state.mutate = m;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Flips one bit of the byte at `at` of a 0x-hex string. */
export function flipByte(hexText: string, at: number): string {
  const body = hexText.slice(2);
  const i = Math.min(at, body.length / 2 - 1) * 2;
  const b = (Number.parseInt(body.slice(i, i + 2), 16) ^ 0x01).toString(16).padStart(2, '0');
  return '0x' + body.slice(0, i) + b + body.slice(i + 2);
}
