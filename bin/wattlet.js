#!/usr/bin/env node
// The `wattlet` command: the built CLI when present, otherwise the sources through tsx.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'main', 'cli.js');
if (existsSync(built)) {
  await import(built);
} else {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'main', 'cli', 'main.ts'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: process.cwd(),
  });
  process.exitCode = result.status ?? 1;
}
