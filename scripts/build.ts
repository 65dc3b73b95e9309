import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { main, preload, renderer } from '../electron.config.js';

// Builds the three bundles described in electron.config.ts, plus the contracts when their
// compiler script exists (compiled with npm solc; nothing is downloaded).
const root = resolve(import.meta.dirname, '..');
const started = Date.now();

if (existsSync(resolve(root, 'scripts/compile-contracts.ts'))) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['--import', 'tsx', resolve(root, 'scripts/compile-contracts.ts')], { stdio: 'inherit', cwd: root });
}
await Promise.all([esbuild(main), esbuild(preload)]);
await vite(renderer);
console.log(`built main, preload and renderer into out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
