import { WattletError } from '../../api/errors.js';
import { readChainHead } from '../../ledger/rpc/day-evidence.js';
import { httpTransport } from '../../ledger/rpc/json-rpc.js';
import { verifyHeaderHash } from '../../ledger/verify/header-hash.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { requireOptions, wholeNumber } from '../usage-error.js';

const USAGE = `Usage: wattlet ledger checkpoint --rpc URL [--block N] [--depth N] [--json]

Prints a checkpoint of the chain: a block's number and hash, as an operator prints it on a bill
("Ledger checkpoint: chain 246, block 18,234,567, 0x…") for households to pin (Settings →
Checkpoint), or as a wattlet.checkpoint/1 file with --json. The block's header is re-hashed here
(every fork up to Prague); a header that does not hash to its hash is refused.

Options:
  --rpc URL     JSON-RPC endpoint
  --block N     the block (default: the head minus --depth)
  --depth N     blocks below the head when --block is not given (default 12)
  --json        print {"format":"wattlet.checkpoint/1","chainId","number","hash"}

Exit status: 0 printed, 2 when the endpoint could not be reached or answered a bad header.
`;

export function ledgerCheckpointCommand(): Command {
  return defineCommand({
    name: 'ledger checkpoint',
    summary: 'print a block number and hash to pin as a checkpoint (the line for a bill, or a file)',
    usage: USAGE,
    options: {
      rpc: { type: 'string' },
      block: { type: 'string' },
      depth: { type: 'string', default: '12' },
      json: { type: 'boolean', default: false },
    },
    errorExit: 2,
    async run({ values }, io) {
      requireOptions(values, ['rpc']);
      const rpc = httpTransport(values.rpc!);
      const head = await readChainHead(rpc);
      const n = values.block !== undefined ? wholeNumber(values.block, 'block', 0) : Math.max(0, head.head - wholeNumber(values.depth ?? '12', 'depth', 0));
      const block = await rpc.request('eth_getBlockByNumber', ['0x' + n.toString(16), false]);
      if (!block || typeof block !== 'object') throw new WattletError('LEDGER_RPC_INVALID_ANSWER', `The endpoint has no block ${n}`, { block: n });
      const hashed = verifyHeaderHash(block as Record<string, unknown>);
      if (!hashed.ok) throw new WattletError(hashed.code, `Block ${n}'s header does not hash to its hash: ${hashed.message}`, { block: n });
      io.stdout(
        values.json
          ? JSON.stringify({ format: 'wattlet.checkpoint/1', chainId: head.chainId, number: n, hash: hashed.computedHash }, null, 2) + '\n'
          : `Ledger checkpoint: chain ${head.chainId}, block ${n.toLocaleString('en')}, ${hashed.computedHash}\n`,
      );
      return 0;
    },
  });
}

export const ledgerCheckpoint = ledgerCheckpointCommand();
