import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { WattletError } from '../api/errors.js';
import { migrations } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  readonly file: string;
  /**
   * 'full' syncs the WAL on every commit (an acknowledged batch survives power loss);
   * 'normal' survives a killed process but may lose the last commits on power loss.
   */
  readonly synchronous?: 'full' | 'normal';
  readonly readonly?: boolean;
}

/**
 * Opens the history database in WAL mode and brings its schema up to date. WAL gives the
 * durability we promise: a commit is atomic, and a writer killed mid-transaction leaves the
 * database as of its last commit.
 */
export function openDatabase(options: OpenOptions): Db {
  let db: Db;
  try {
    if (!options.readonly) ownerOnly(options.file, true);
    db = new Database(options.file, { readonly: options.readonly ?? false });
  } catch (e) {
    throw new WattletError('HISTORY_DB_OPEN_FAILED', `Cannot open ${options.file}: ${String(e)}`, { file: options.file }, { cause: e });
  }
  try {
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    }
    // SQLite creates -wal and -shm with the database file's mode; ones an older version left
    // behind keep theirs until tightened here.
    if (!options.readonly) for (const suffix of ['-wal', '-shm']) ownerOnly(options.file + suffix, false);
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32000'); // 32 MB: roll-up upserts touch the hot end of the tree
    migrate(db, options.file);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof WattletError) throw e;
    const corrupt = /malformed|not a database|corrupt/i.test(String(e));
    throw new WattletError(
      corrupt ? 'HISTORY_DB_CORRUPT' : 'HISTORY_DB_OPEN_FAILED',
      `Cannot use ${options.file}: ${String(e)}`,
      { file: options.file },
      { cause: e },
    );
  }
}

/**
 * The history tells when the household is at home: only its user may read it (0600), whatever
 * the umask. A new database file is created empty with that mode before SQLite opens it, so its
 * journal files inherit the mode from the start.
 */
function ownerOnly(file: string, create: boolean): void {
  if (file === '' || file === ':memory:' || file.startsWith('file:') || process.platform === 'win32') return;
  if (!existsSync(file)) {
    if (!create) return;
    try {
      closeSync(openSync(file, 'wx', 0o600));
    } catch (e) {
      // Another process created it between the check and here: tighten theirs below.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  try {
    chmodSync(file, 0o600);
  } catch (e) {
    // A file owned by another user cannot be tightened by this one; that alone does not stop the history.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  }
}

function migrate(db: Db, file: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > migrations.length) {
    throw new WattletError('HISTORY_SCHEMA_TOO_NEW', `${file} was written by a newer Wattlet`, {
      file,
      version,
      supported: migrations.length,
    });
  }
  if (version === migrations.length) return;
  if (db.readonly) {
    throw new WattletError('HISTORY_DB_OPEN_FAILED', `${file} needs a schema upgrade`, { file });
  }
  // Each migration and its version bump commit together: a kill mid-upgrade redoes it cleanly.
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
