import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';
import { cacheDir } from './paths.js';

/** The version apt would install of `pkg` (apt-get update once if the lists are empty). */
function candidateVersion(pkg: string): string {
  const query = (): string | null => {
    try {
      return /Candidate:\s*(\S+)/.exec(run('apt-cache', ['policy', pkg]))?.[1] ?? null;
    } catch {
      return null;
    }
  };
  let v = query();
  if (!v || v === '(none)') {
    run('apt-get', ['update', '-q'], { stdio: 'ignore' });
    v = query();
  }
  if (!v || v === '(none)') throw new Error(`apt-cache policy ${pkg} names no candidate version, even after apt-get update`);
  return v;
}

/**
 * Files out of a Debian package, without installing it on the host: `apt-get download` and
 * `dpkg-deb --fsys-tarfile | tar -x` of the wanted paths (tar wildcards, e.g. "./bin/udevadm").
 * Cached per package version; returns the folder the package's tree was unpacked into.
 */
export function debianPackageFiles(pkg: string, patterns: readonly string[]): string {
  const base = join(cacheDir(), 'deb');
  mkdirSync(base, { recursive: true });
  let version: string;
  try {
    version = candidateVersion(pkg);
  } catch (e) {
    const cached = readdirSync(base).find((d) => d.startsWith(`${pkg}_`) && !d.endsWith('.tmp'));
    if (cached) return join(base, cached); // offline with the package already unpacked
    throw e;
  }
  const root = join(base, `${pkg}_${version.replace(/[^A-Za-z0-9.+~-]/g, '_')}`);
  if (existsSync(root)) return root;
  const dl = join(base, `download-${pkg}`);
  rmSync(dl, { recursive: true, force: true });
  mkdirSync(dl, { recursive: true });
  run('apt-get', ['download', '-q', `${pkg}=${version}`], { cwd: dl });
  const deb = readdirSync(dl).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${pkg}=${version} produced no .deb in ${dl}`);
  const tmp = `${root}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  run('sh', ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" --wildcards ${patterns.map((p) => `'${p}'`).join(' ')}`, 'sh', join(dl, deb), tmp]);
  renameSync(tmp, root);
  rmSync(dl, { recursive: true, force: true });
  return root;
}
