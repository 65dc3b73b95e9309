import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { main, preload, renderer } from '../electron.config.js';

// Builds the three bundles described in electron.config.ts, and compiles the contracts with npm
// solc when their sources changed since the committed build (nothing is ever downloaded).
const root = resolve(import.meta.dirname, '..');
const started = Date.now();

function contractSourcesHash(): string {
  const dir = resolve(root, 'resources/contracts');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.sol')).sort()) {
    hash.update(name).update('\0').update(readFileSync(resolve(dir, name))).update('\0');
  }
  const solc = JSON.parse(readFileSync(resolve(root, 'node_modules/solc/package.json'), 'utf8')) as { version: string };
  hash.update(solc.version);
  hash.update(readFileSync(resolve(root, 'scripts/compile-contracts.ts')));
  return hash.digest('hex');
}

const compiler = resolve(root, 'scripts/compile-contracts.ts');
if (existsSync(compiler)) {
  const stamp = resolve(root, 'resources/contracts/build/sources.sha256');
  const wanted = contractSourcesHash();
  const force = process.argv.includes('--contracts');
  if (force || !existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== wanted) {
    execFileSync(process.execPath, ['--import', 'tsx', compiler], { stdio: 'inherit', cwd: root });
    writeFileSync(stamp, `${wanted}\n`);
  } else {
    console.log('contracts unchanged since their build (resources/contracts/build): not recompiled');
  }
}
await Promise.all([esbuild(main), esbuild(preload)]);
await vite(renderer);
console.log(`built main, preload and renderer into out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
