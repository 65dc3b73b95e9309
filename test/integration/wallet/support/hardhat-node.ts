import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Hardhat's default accounts: funded with 10 000 ETH on every local Hardhat network. */
export const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk';

export interface HardhatNode {
  readonly url: string;
  stop(): void;
}

/** A real local chain (Hardhat 2, EDR) on a free 127.0.0.1 port, with a throwaway config. */
export async function startHardhatNode(): Promise<HardhatNode> {
  const dir = mkdtempSync(join(tmpdir(), 'wattlet-hh-'));
  const config = join(dir, 'hardhat.config.cjs');
  writeFileSync(config, 'module.exports = { networks: { hardhat: { chainId: 31337 } } };\n');
  const port = await freePort();
  const cli = resolve('node_modules/hardhat/internal/cli/cli.js');
  const child = spawn(process.execPath, [cli, 'node', '--config', config, '--hostname', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`hardhat node did not start: ${out.slice(-400)}`)), 60_000);
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('Started HTTP')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.once('exit', (code) => fail(new Error(`hardhat node exited with ${code}: ${out.slice(-400)}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => ok(port));
    });
  });
}
