import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pinnedCheckpointSchema, type PinnedCheckpoint } from '../verify/header-chain.js';

/** The file in the data folder that holds the household's pinned checkpoint. */
export const CHECKPOINT_FILE_NAME = 'ledger-checkpoint.json';

/**
 * The household's pinned checkpoint, one JSON file in the data folder (0600, written to a temp
 * file and renamed, as settings are). A damaged file reads as none pinned: verdicts then say they
 * rest on the endpoint, never on a checkpoint that is not there.
 */
export class CheckpointStore {
  #current: PinnedCheckpoint | null | undefined;

  constructor(readonly file: string) {}

  async current(): Promise<PinnedCheckpoint | null> {
    if (this.#current !== undefined) return this.#current;
    try {
      const raw = JSON.parse(await readFile(this.file, 'utf8')) as { checkpoint?: unknown };
      const parsed = pinnedCheckpointSchema.safeParse(raw.checkpoint);
      this.#current = parsed.success ? parsed.data : null;
    } catch {
      this.#current = null;
    }
    return this.#current;
  }

  async pin(checkpoint: PinnedCheckpoint): Promise<PinnedCheckpoint> {
    const checked = pinnedCheckpointSchema.parse(checkpoint);
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ format: 'wattlet.pinned-checkpoint/1', checkpoint: checked }, null, 2), { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.file);
    this.#current = checked;
    return checked;
  }

  async clear(): Promise<boolean> {
    const had = (await this.current()) !== null;
    await rm(this.file, { force: true });
    this.#current = null;
    return had;
  }
}
