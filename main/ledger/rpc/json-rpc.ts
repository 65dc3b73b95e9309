import { WattletError } from '../../api/errors.js';

/**
 * How the ledger talks to an EVM node. Isomorphic (fetch only), so the renderer can fetch its own
 * evidence from a public endpoint and not take the main process's word for it.
 */
export interface JsonRpcTransport {
  request(method: string, params: readonly unknown[]): Promise<unknown>;
}

export interface HttpTransportOptions {
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

let nextId = 1;

/** JSON-RPC 2.0 over HTTP POST. Unreachable, timeouts and error answers become coded errors. */
export function httpTransport(url: string, options: HttpTransportOptions = {}): JsonRpcTransport {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    async request(method, params) {
      const id = nextId++;
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
        throw new WattletError(
          timedOut ? 'LEDGER_RPC_TIMEOUT' : 'LEDGER_RPC_UNREACHABLE',
          timedOut ? `${url} did not answer within ${timeoutMs} ms` : `Cannot reach the ledger endpoint ${url}`,
          { url, method },
          { cause: e },
        );
      }
      if (!response.ok) {
        throw new WattletError('LEDGER_RPC_UNREACHABLE', `${url} answered HTTP ${response.status}`, { url, method, status: response.status });
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch (e) {
        throw new WattletError('LEDGER_RPC_INVALID_ANSWER', `${url} answered something that is not JSON`, { url, method }, { cause: e });
      }
      if (typeof body !== 'object' || body === null) {
        throw new WattletError('LEDGER_RPC_INVALID_ANSWER', `${url} answered a non-object`, { url, method });
      }
      const b = body as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
      if (b.error) {
        // Revert data (a custom error's selector and arguments) comes as `data`, or nested in it.
        const d = b.error.data;
        const nested = d && typeof d === 'object' && 'data' in d ? (d as { data?: unknown }).data : d;
        throw new WattletError('LEDGER_RPC_ERROR', `${method}: ${String(b.error.message ?? 'error')}`.slice(0, 300), {
          url,
          method,
          rpcCode: typeof b.error.code === 'number' ? b.error.code : null,
          rpcMessage: String(b.error.message ?? '').slice(0, 200),
          rpcData: typeof nested === 'string' && /^0x[0-9a-fA-F]*$/.test(nested) ? nested.slice(0, 2_000) : null,
        });
      }
      if (!('result' in b)) throw new WattletError('LEDGER_RPC_INVALID_ANSWER', `${method}: no result`, { url, method });
      return b.result;
    },
  };
}

export interface RecordedCall {
  readonly method: string;
  readonly params: readonly unknown[];
  readonly result: unknown;
}

/** Passes calls through and keeps every answer, so a benchmark or a bug report can replay them. */
export class RecordingTransport implements JsonRpcTransport {
  readonly calls: RecordedCall[] = [];
  constructor(private readonly inner: JsonRpcTransport) {}

  async request(method: string, params: readonly unknown[]): Promise<unknown> {
    const result = await this.inner.request(method, params);
    this.calls.push({ method, params: structuredClone([...params]), result: structuredClone(result) });
    return result;
  }
}

function callKey(method: string, params: readonly unknown[]): string {
  return method + ' ' + JSON.stringify(params);
}

/** Answers from a recording, by method and exact params; anything not recorded is an error. */
export class ReplayTransport implements JsonRpcTransport {
  readonly #answers = new Map<string, unknown>();
  constructor(calls: readonly RecordedCall[]) {
    for (const c of calls) this.#answers.set(callKey(c.method, c.params), c.result);
  }

  async request(method: string, params: readonly unknown[]): Promise<unknown> {
    const key = callKey(method, params);
    if (!this.#answers.has(key)) {
      throw new WattletError('LEDGER_RPC_UNREACHABLE', `Not in the recording: ${method}`, { method });
    }
    return structuredClone(this.#answers.get(key));
  }
}
