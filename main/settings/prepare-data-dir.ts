import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The data folder and every folder in it: only its user may list or enter them. */
export const DATA_DIR_MODE = 0o700;
/** Every file in it (settings, logs, history and its -wal/-shm, wallet.json, bundles): only its user may read them. */
export const DATA_FILE_MODE = 0o600;

// Wattlet's own layout is two levels deep; the bound keeps a mistaken --data-dir (a home folder)
// from turning the start into a walk of someone's whole disk.
const MAX_DEPTH = 3;
const MAX_ENTRIES = 5000;

/**
 * Creates the data folder 0700, and tightens what an older version (or a umask of 022) left
 * readable by others: folders to 0700, files to 0600 (the owner's bits stay). Modes are set
 * explicitly, whatever the umask. Symbolic links inside are not followed: chmod through one would
 * change a file outside the folder. Windows has no such modes; there the folder is only created.
 *
 * Answers the paths it could not tighten (owned by someone else, vanished mid-walk), for the log.
 */
export function prepareDataDir(dir: string, platform = process.platform): string[] {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  if (platform === 'win32') return [];
  const failed: string[] = [];
  let seen = 0;
  const tighten = (path: string, isDir: boolean, mode: number, depth: number) => {
    const wanted = isDir ? DATA_DIR_MODE : mode & ~0o077 & 0o777;
    if ((mode & 0o777) !== wanted && (isDir || mode & 0o077)) {
      try {
        chmodSync(path, wanted);
      } catch {
        failed.push(path);
      }
    }
    if (!isDir || depth >= MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      failed.push(path);
      return;
    }
    for (const name of names) {
      if (++seen > MAX_ENTRIES) return;
      const child = join(path, name);
      try {
        const st = lstatSync(child);
        if (st.isDirectory()) tighten(child, true, st.mode, depth + 1);
        else if (st.isFile()) tighten(child, false, st.mode, depth + 1);
      } catch {
        failed.push(child);
      }
    }
  };
  // The folder itself may be a link the person chose (--data-dir); its target is the data folder.
  tighten(dir, true, statSync(dir).mode, 0);
  return failed;
}
