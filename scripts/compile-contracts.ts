/**
 * npm run build:contracts — compiles every .sol in resources/contracts with the npm `solc`
 * package (solc-js, bundled compiler: nothing is ever downloaded) and writes
 * resources/contracts/build/<Name>.json = { contractName, abi, bytecode, deployedBytecode,
 * storageLayout, compiler }. The JSON is committed so the app, the renderer and the tests load it
 * without compiling.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc') as {
  version(): string;
  compile(input: string, callbacks?: { import: (path: string) => { contents: string } | { error: string } }): string;
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'resources', 'contracts');
const buildDir = join(sourceDir, 'build');

/** Solidity's EVM target. Cancun: supported by Hardhat's EDR and current public EVM chains. */
const EVM_VERSION = 'cancun';

interface SolcOutput {
  errors?: Array<{ severity: 'error' | 'warning' | 'info'; formattedMessage: string }>;
  contracts?: Record<
    string,
    Record<
      string,
      {
        abi: unknown[];
        evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
        storageLayout: unknown;
      }
    >
  >;
}

function findImport(path: string): { contents: string } | { error: string } {
  const candidates = [join(root, 'node_modules', path), join(sourceDir, path)];
  for (const file of candidates) {
    if (existsSync(file)) return { contents: readFileSync(file, 'utf8') };
  }
  return { error: `not found: ${path}` };
}

export function compileContracts(): string[] {
  const files = readdirSync(sourceDir).filter((f) => f.endsWith('.sol'));
  const sources = Object.fromEntries(files.map((f) => [f, { content: readFileSync(join(sourceDir, f), 'utf8') }]));
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: { enabled: true, runs: 200 },
      // The market's settlement (EIP-712 offers, Merkle multiproofs) needs the IR pipeline to stay
      // within the EVM's 16 reachable stack slots.
      viaIR: true,
      outputSelection: {
        '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'storageLayout'] },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  for (const e of output.errors ?? []) {
    if (e.severity !== 'error') process.stderr.write(e.formattedMessage + '\n');
  }
  if (errors.length) {
    throw new Error('Solidity compilation failed:\n' + errors.map((e) => e.formattedMessage).join('\n'));
  }
  mkdirSync(buildDir, { recursive: true });
  const written: string[] = [];
  for (const file of files) {
    for (const [name, c] of Object.entries(output.contracts?.[file] ?? {})) {
      // Abstract contracts and interfaces have no bytecode; nothing can be deployed from them.
      if (!c.evm.bytecode.object) continue;
      const artifact = {
        contractName: name,
        sourceName: file,
        compiler: { version: solc.version(), evmVersion: EVM_VERSION, optimizerRuns: 200, viaIR: true },
        abi: c.abi,
        bytecode: '0x' + c.evm.bytecode.object,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
        storageLayout: c.storageLayout,
      };
      const out = join(buildDir, `${name}.json`);
      writeFileSync(out, JSON.stringify(artifact, null, 2) + '\n');
      written.push(out);
    }
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    for (const f of compileContracts()) process.stdout.write(`wrote ${f}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
