import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { settingsSchema, type Settings } from '../api/app.js';
import { WattletError } from '../api/errors.js';

export const defaultSettings: Settings = {
  language: 'en',
  theme: 'system',
  rpcUrl: null,
  contractAddress: null,
  meterId: null,
  autoLockSeconds: 300,
};

/**
 * Settings in one JSON file in the data folder. Written to a temp file and renamed, so a crash
 * mid-write leaves the previous file whole. Holds no secret (keys live in the OS keychain).
 */
export class SettingsStore {
  #current: Settings;
  readonly #listeners = new Set<(s: Settings) => void>();

  private constructor(
    readonly file: string,
    initial: Settings,
  ) {
    this.#current = initial;
  }

  static async open(file: string, overrides: Partial<Settings> = {}): Promise<SettingsStore> {
    let stored: Partial<Settings> = {};
    try {
      const parsed = settingsSchema.partial().safeParse(JSON.parse(await readFile(file, 'utf8')));
      // A damaged or foreign file must not stop the app: fall back to defaults, keep what parses.
      if (parsed.success) stored = parsed.data;
    } catch {
      // Missing file: first start.
    }
    return new SettingsStore(file, { ...defaultSettings, ...stored, ...overrides });
  }

  get current(): Settings {
    return this.#current;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.safeParse({ ...this.#current, ...patch });
    if (!next.success) {
      const issue = next.error.issues[0];
      throw new WattletError('SETTINGS_INVALID', `Invalid settings: ${issue?.message}`, {
        path: issue?.path.join('.') ?? '',
        problem: issue?.message ?? '',
      });
    }
    this.#current = next.data;
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.#current, null, 2));
    await rename(tmp, this.file);
    for (const l of this.#listeners) l(this.#current);
    return this.#current;
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
