import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project root, found by walking up from this module: the same code runs from main/ under
 * tsx and from out/main/ when bundled.
 */
export function projectRoot(from: string = import.meta.dirname): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'wattlet') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json of wattlet not found above ${from}`);
    dir = parent;
  }
}

export function appVersion(root: string = projectRoot()): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
