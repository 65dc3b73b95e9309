import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The verifier must run in the renderer too (ARCHITECTURE.md: a household re-checks a proof
// without trusting the main process), so nothing it imports, however indirectly, may be Node's.
const root = resolve(import.meta.dirname, '../../..');
const entries = ['main/ledger/verify/index.ts', 'main/ledger/tree/index.ts', 'main/ledger/rpc/index.ts'];
const nodeOnly = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'hardhat', 'keytar', 'usb', 'better-sqlite3', 'electron']);

function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

function walk(): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = entries.map((e) => resolve(root, e));
  while (todo.length) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe('the verifier is isomorphic', () => {
  it('imports nothing of Node, transitively', () => {
    const { files, packages } = walk();
    expect(files.size).toBeGreaterThan(10);
    expect([...packages].filter((p) => nodeOnly.has(p.split('/')[0]!) || nodeOnly.has(p))).toEqual([]);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/\bprocess\.|\bBuffer\b|__dirname|require\(/);
  });
});
