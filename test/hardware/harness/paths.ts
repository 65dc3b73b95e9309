import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/hardware/ */
export const HARDWARE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root (the guest bundle imports the project's code from main/). */
export const REPO_ROOT = resolve(HARDWARE_DIR, '..', '..');

/**
 * Where the kernel and the base initramfs are cached between runs. Gitignored; CI starts
 * empty and fills it (about 10 s: one apt-get download, one cpio).
 */
export function cacheDir(): string {
  const dir = process.env.WATTLET_QEMU_CACHE ?? join(HARDWARE_DIR, '.cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function mustExist(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}`);
  return path;
}
