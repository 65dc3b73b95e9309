import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { settingsSchema, type Settings } from '../api/app.js';
import { WattletError, type ErrorFacts } from '../api/errors.js';
import { Emitter, type Event } from '../lifecycle/emitter.js';

export const defaultSettings: Settings = {
  language: 'en',
  theme: 'system',
  rpcUrl: null,
  contractAddress: null,
  meterId: null,
  autoLockSeconds: 300,
};

/** SETTINGS_INVALID with the facts the UI needs: which setting, why (in English), and a rule it can translate. */
function invalid(issue: z.core.$ZodIssue | undefined): WattletError {
  const facts: ErrorFacts = { path: issue?.path.join('.') ?? '', problem: issue?.message ?? '' };
  const params = issue && 'params' in issue ? (issue.params as Record<string, unknown> | undefined) : undefined;
  if (typeof params?.['rule'] === 'string') facts['rule'] = params['rule'];
  if (typeof params?.['scheme'] === 'string') facts['scheme'] = params['scheme'];
  return new WattletError('SETTINGS_INVALID', `Invalid settings: ${issue?.message ?? ''}`, facts);
}

/** The fields of a stored file that still pass today's schema; the rest fall back to defaults. */
function storedFields(raw: unknown): Partial<Settings> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const shape = settingsSchema.shape;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key)) continue;
    const parsed = shape[key as keyof typeof shape].safeParse(value);
    if (parsed.success) kept[key] = parsed.data;
  }
  return kept as Partial<Settings>;
}

/**
 * Settings in one JSON file in the data folder, readable by its user only (0600). Written to a
 * temp file and renamed, so a crash mid-write leaves the previous file whole. Holds no secret
 * (keys live in the OS keychain), but an RPC URL may carry a provider's credentials.
 */
export class SettingsStore {
  #current: Settings;
  readonly #changed = new Emitter<Settings>();
  /** Fires after each update is written, with the settings now in force. */
  readonly onChange: Event<Settings> = this.#changed.event;

  private constructor(
    readonly file: string,
    initial: Settings,
  ) {
    this.#current = initial;
  }

  /**
   * A damaged or foreign file must not stop the app: what still parses is kept, field by field (a
   * `javascript:` RPC URL written by an older version is dropped, the language stays). Overrides
   * from the command line are checked like an update and refused the same way.
   */
  static async open(file: string, overrides: Partial<Settings> = {}): Promise<SettingsStore> {
    let stored: Partial<Settings> = {};
    try {
      stored = storedFields(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      // Missing or unreadable file: first start.
    }
    const checked = settingsSchema.safeParse({ ...defaultSettings, ...stored, ...overrides });
    if (!checked.success) throw invalid(checked.error.issues[0]);
    return new SettingsStore(file, checked.data);
  }

  get current(): Settings {
    return this.#current;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.safeParse({ ...this.#current, ...patch });
    if (!next.success) throw invalid(next.error.issues[0]);
    this.#current = next.data;
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.#current, null, 2), { mode: 0o600 });
    // The mode above applies only when the temp file is new; a leftover from a crash keeps its own.
    await chmod(tmp, 0o600);
    await rename(tmp, this.file);
    this.#changed.fire(this.#current);
    return this.#current;
  }

  dispose(): void {
    this.#changed.dispose();
  }
}
