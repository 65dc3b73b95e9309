import { spawnSync, type SpawnSyncOptions } from 'node:child_process';

/** Run a command to completion; throw with its output when it fails. */
export function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}\n${String(r.stdout ?? '')}${String(r.stderr ?? '')}`);
  }
  return String(r.stdout ?? '');
}

/** Is a command on PATH? */
export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Install Debian packages that are missing (CI runs as root on a fresh machine). Only names
 * this harness needs are ever passed here.
 */
export function ensureDebianPackages(pkgs: readonly { pkg: string; provides: string }[]): void {
  const missing = pkgs.filter((p) => !hasCommand(p.provides) && spawnSync('test', ['-e', p.provides]).status !== 0);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.map((m) => m.pkg).join(', ')}; install them (apt-get install ${missing.map((m) => m.pkg).join(' ')})`);
  }
  run('apt-get', ['update', '-q'], { stdio: 'ignore' });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing.map((m) => m.pkg)], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
