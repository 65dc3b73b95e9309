import { describe, expect, it } from 'vitest';
import { httpTransport, RecordingTransport, ReplayTransport, type JsonRpcTransport } from '../../../main/ledger/rpc/json-rpc.js';

const answering = (body: unknown, status = 200): typeof fetch =>
  (async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })) as typeof fetch;

describe('JSON-RPC transport', () => {
  it('answers the result', async () => {
    const rpc = httpTransport('http://x', { fetch: answering({ jsonrpc: '2.0', id: 1, result: '0x7a69' }) });
    expect(await rpc.request('eth_chainId', [])).toBe('0x7a69');
  });

  it('turns failures into coded errors with the revert data kept', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(httpTransport('http://x', { fetch: refused }).request('eth_chainId', [])).rejects.toMatchObject({ code: 'LEDGER_RPC_UNREACHABLE', facts: { url: 'http://x' } });
    await expect(httpTransport('http://x', { fetch: answering('oops', 502) }).request('eth_chainId', [])).rejects.toMatchObject({ code: 'LEDGER_RPC_UNREACHABLE', facts: { status: 502 } });
    await expect(httpTransport('http://x', { fetch: answering('not json') }).request('eth_chainId', [])).rejects.toMatchObject({ code: 'LEDGER_RPC_INVALID_ANSWER' });
    const reverted = answering({ jsonrpc: '2.0', id: 1, error: { code: 3, message: 'execution reverted', data: { data: '0xdeadbeef' } } });
    await expect(httpTransport('http://x', { fetch: reverted }).request('eth_call', [])).rejects.toMatchObject({ code: 'LEDGER_RPC_ERROR', facts: { rpcCode: 3, rpcData: '0xdeadbeef' } });
  });

  it('records answers and replays exactly those, refusing anything else', async () => {
    let calls = 0;
    const inner: JsonRpcTransport = { request: async (method, params) => ({ method, params, n: ++calls }) };
    const rec = new RecordingTransport(inner);
    await rec.request('eth_getProof', ['0xabc', ['0x01'], '0x5']);
    const replay = new ReplayTransport(JSON.parse(JSON.stringify(rec.calls)));
    expect(await replay.request('eth_getProof', ['0xabc', ['0x01'], '0x5'])).toEqual({ method: 'eth_getProof', params: ['0xabc', ['0x01'], '0x5'], n: 1 });
    await expect(replay.request('eth_getProof', ['0xabc', ['0x02'], '0x5'])).rejects.toMatchObject({ code: 'LEDGER_RPC_UNREACHABLE' });
    expect(calls).toBe(1);
  });
});
