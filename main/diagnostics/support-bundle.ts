import { createHash } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DiagnosticsSnapshot, FrameEntry, Finding } from '../api/diagnostics.js';
import { WattletError } from '../api/errors.js';
import { fromHex, toHex, toPrintable } from './frame-log.js';
import { Redactor, type RedactionContext, type RedactionKind } from '../redaction/index.js';

export const BUNDLE_FORMAT = 'wattlet-support-bundle/1';

/** What goes into a bundle before redaction: facts from every room, as they are. */
export interface BundleInput {
  readonly createdAt: number;
  readonly app: Record<string, unknown>;
  readonly os: Record<string, unknown>;
  readonly snapshot: DiagnosticsSnapshot;
  readonly findings: readonly Finding[];
  readonly frames: readonly FrameEntry[];
  readonly frameMinutes: number;
  readonly settings: unknown;
  /** Other rooms' contributions (wallet status, history size …); redacted like the rest. */
  readonly sections?: Readonly<Record<string, unknown>>;
  /** Meter ids the session saw: hashed wherever they appear. */
  readonly meterIds?: readonly string[];
}

export interface SupportBundle {
  readonly bundle: Record<string, unknown>;
  readonly counts: Partial<Record<RedactionKind, number>>;
}

/**
 * Frames are redacted on their bytes (meter ids inside DSMR/IEC text, DL/T 645 addresses, SML
 * server ids), then hex and text are rebuilt from the redacted bytes so both views agree.
 */
function redactFrame(r: Redactor, f: FrameEntry): Record<string, unknown> {
  const bytes = r.bytes(fromHex(f.hex), f.protocol);
  return {
    ...f,
    hex: toHex(bytes),
    text: r.string(toPrintable(bytes)),
    decoded: f.decoded === null ? null : r.string(f.decoded),
    error: f.error ? { code: f.error.code, detail: r.string(f.error.detail) } : null,
  };
}

/** Identifiers that are only visible inside frames (DSMR equipment ids as hex of ASCII). */
function harvestFrameIds(r: Redactor, frames: readonly FrameEntry[]): void {
  for (const f of frames) {
    for (const m of f.text.matchAll(/\d-\d:96\.1\.\d(?:\*\d+)?\(([^)]{4,})\)/g)) r.addIdentifier(m[1]!);
    for (const m of f.text.matchAll(/(?:^|␊|␍)(?:\d-\d:)?(?:C\.1\.[01]|0\.0\.[0-9])(?:\*\d+)?\(([^)]{4,})\)/g)) r.addIdentifier(m[1]!);
    for (const m of (f.decoded ?? '').matchAll(/meter (\S{4,}):/g)) r.addIdentifier(m[1]!);
  }
}

/**
 * Builds the support bundle: one JSON object, redacted as a whole. The page previews exactly
 * this object and bundleSave writes exactly it, so what support receives is what the household saw.
 */
export function buildSupportBundle(input: BundleInput, ctx: RedactionContext = {}): SupportBundle {
  const r = new Redactor(ctx);
  for (const id of input.meterIds ?? []) r.addIdentifier(id);
  const since = input.createdAt - input.frameMinutes * 60_000;
  const frames = input.frames.filter((f) => f.at >= since);
  harvestFrameIds(r, frames);
  const raw = {
    app: input.app,
    os: input.os,
    usb: input.snapshot.usb,
    serialPorts: input.snapshot.serialPorts,
    link: input.snapshot.link,
    probe: input.snapshot.probe,
    findings: input.findings,
    settings: input.settings,
    recentErrors: input.snapshot.recentErrors,
    sections: input.sections ?? {},
  };
  r.collect(raw);
  const redacted = r.value(raw) as Record<string, unknown>;
  const bundle: Record<string, unknown> = {
    format: BUNDLE_FORMAT,
    createdAt: new Date(input.createdAt).toISOString(),
    frameMinutes: input.frameMinutes,
    ...redacted,
    frames: frames.map((f) => redactFrame(r, f)),
  };
  bundle['redactions'] = { ...r.counts };
  return { bundle, counts: { ...r.counts } };
}

export function bundleJson(bundle: Record<string, unknown>): string {
  return JSON.stringify(bundle, null, 2) + '\n';
}

/** Writes the bundle (gzip when the name or the flag says so) and answers what was written. */
export async function writeSupportBundle(bundle: Record<string, unknown>, file: string, gzip: boolean): Promise<{ file: string; bytes: number; sha256: string }> {
  const json = Buffer.from(bundleJson(bundle), 'utf8');
  const data = gzip ? gzipSync(json) : json;
  try {
    // Redacted, but still the household's: only its user reads it until they send it on.
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, data, { mode: 0o600 });
    // The mode above applies to a new file only; one being replaced keeps its own.
    await chmod(file, 0o600);
  } catch (e) {
    throw new WattletError('DIAG_BUNDLE_WRITE_FAILED', `Could not write the support bundle`, {
      file,
      reason: e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : String(e).slice(0, 120),
    }, { cause: e });
  }
  return { file, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}
