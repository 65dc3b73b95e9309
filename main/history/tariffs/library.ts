import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WattletError } from '../../api/errors.js';
import { tariffSchema, type Tariff } from './schema.js';

export interface TariffSummary {
  readonly id: string;
  readonly name: { en: string; 'zh-CN': string };
  readonly currency: string;
  readonly source: 'builtin' | 'user';
  readonly kinds: Array<'flat' | 'time-of-use' | 'tiered' | 'feed-in' | 'net-metering' | 'standing' | 'tax'>;
}

/** resources/tariffs in the source tree (main/history/tariffs → ../../../resources/tariffs). */
export function defaultBuiltinDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/tariffs');
}

/**
 * Tariffs shipped with the app (read-only) and the household's own, saved as JSON files in
 * `<dataDir>/tariffs`. Every file is validated on read; a broken user file is reported with its
 * problem rather than silently skipped.
 */
export class TariffLibrary {
  readonly #builtinDir: string;
  readonly #userDir: string;

  constructor(options: { dataDir: string; builtinDir?: string }) {
    this.#builtinDir = options.builtinDir ?? defaultBuiltinDir();
    this.#userDir = path.join(options.dataDir, 'tariffs');
  }

  list(): { tariffs: TariffSummary[]; problems: Array<{ file: string; problem: string }> } {
    const tariffs: TariffSummary[] = [];
    const problems: Array<{ file: string; problem: string }> = [];
    const seen = new Set<string>();
    for (const [dir, source] of [[this.#userDir, 'user'], [this.#builtinDir, 'builtin']] as const) {
      for (const file of jsonFiles(dir)) {
        try {
          const t = readTariff(path.join(dir, file));
          if (seen.has(t.id)) continue;
          seen.add(t.id);
          tariffs.push({ id: t.id, name: t.name, currency: t.currency, source, kinds: kindsOf(t) });
        } catch (e) {
          problems.push({ file, problem: e instanceof WattletError ? String(e.facts.problem ?? e.message) : String(e) });
        }
      }
    }
    tariffs.sort((a, b) => a.id.localeCompare(b.id));
    return { tariffs, problems };
  }

  /** The user's copy wins over a built-in of the same id (edit a built-in by saving it). */
  get(id: string): Tariff & { readonly origin: 'builtin' | 'user' } {
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) throw new WattletError('TARIFF_NOT_FOUND', `No tariff ${id}`, { id: id.slice(0, 80) });
    for (const [dir, origin] of [[this.#userDir, 'user'], [this.#builtinDir, 'builtin']] as const) {
      const file = path.join(dir, `${id}.json`);
      if (fs.existsSync(file)) return { ...readTariff(file), origin };
    }
    throw new WattletError('TARIFF_NOT_FOUND', `No tariff ${id}`, { id });
  }

  /** Validates and writes atomically (temp file + rename), so a crash never leaves half a tariff. */
  save(input: unknown): Tariff {
    const parsed = tariffSchema.safeParse(input);
    if (!parsed.success) throw invalid('(unsaved)', parsed.error.issues[0]);
    const t = parsed.data;
    fs.mkdirSync(this.#userDir, { recursive: true });
    const file = path.join(this.#userDir, `${t.id}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(t, null, 2)}\n`);
    fs.renameSync(tmp, file);
    return t;
  }

  /** Removes the user's copy (a built-in cannot be removed, only shadowed). */
  remove(id: string): void {
    const file = path.join(this.#userDir, `${id}.json`);
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id) || !fs.existsSync(file)) {
      throw new WattletError(fs.existsSync(path.join(this.#builtinDir, `${id}.json`)) ? 'TARIFF_READ_ONLY' : 'TARIFF_NOT_FOUND', `Cannot remove ${id}`, { id: id.slice(0, 80) });
    }
    fs.rmSync(file);
  }
}

function jsonFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return []; // no user tariffs yet
  }
}

function readTariff(file: string): Tariff {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new WattletError('TARIFF_INVALID', `${file} is not JSON`, { file: path.basename(file), path: '', problem: String(e) });
  }
  const parsed = tariffSchema.safeParse(raw);
  if (!parsed.success) throw invalid(path.basename(file), parsed.error.issues[0]);
  if (`${parsed.data.id}.json` !== path.basename(file)) {
    throw new WattletError('TARIFF_INVALID', `${file} holds tariff ${parsed.data.id}`, { file: path.basename(file), path: 'id', problem: 'the id must match the file name' });
  }
  return parsed.data;
}

function invalid(file: string, issue: { path: PropertyKey[]; message: string } | undefined): WattletError {
  return new WattletError('TARIFF_INVALID', `Tariff ${file} is invalid: ${issue?.message ?? ''}`, {
    file,
    path: issue ? issue.path.map(String).join('.') : '',
    problem: issue?.message ?? '',
  });
}

export function kindsOf(t: Tariff): TariffSummary['kinds'] {
  const kinds: TariffSummary['kinds'] = [t.energy.schedule.length ? 'time-of-use' : 'flat'];
  if (t.tiers) kinds.push('tiered');
  if (t.export.kind !== 'none') kinds.push(t.export.kind);
  if (t.standingCharges.length) kinds.push('standing');
  if (t.taxes.length) kinds.push('tax');
  return kinds;
}
