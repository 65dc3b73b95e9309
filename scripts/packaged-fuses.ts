import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';

/**
 * Reads the fuses back from packaged executables and compares them with the configuration, so a
 * package whose fuses were not flipped (an electron-builder change, a skipped step) fails
 * `npm run dist` instead of shipping. The wire is read by the same @electron/fuses that
 * electron-builder flipped it with.
 */
export type FuseOptions = NonNullable<Configuration['electronFuses']>;
type FuseName = Exclude<keyof FuseOptions, 'resetAdHocDarwinSignature'>;

/** Each fuse's position on the V1 wire (@electron/fuses FuseV1Options). */
export const fuseIndex: Readonly<Record<FuseName, number>> = {
  runAsNode: 0,
  enableCookieEncryption: 1,
  enableNodeOptionsEnvironmentVariable: 2,
  enableNodeCliInspectArguments: 3,
  enableEmbeddedAsarIntegrityValidation: 4,
  onlyLoadAppFromAsar: 5,
  loadBrowserProcessSpecificV8Snapshot: 6,
  grantFileProtocolExtraPrivileges: 7,
};

/** The byte of a fuse's state on the wire (@electron/fuses FuseState): '0' off, '1' on. */
const DISABLE = 48;
const ENABLE = 49;

/** A wire as @electron/fuses' getCurrentFuseWire answers it: the version and index → state byte. */
export type FuseWire = { readonly version: string } & Readonly<Record<number, number>>;

/** Every configured fuse whose state on the wire differs, as readable lines; empty when all match. */
export function fuseMismatches(expected: FuseOptions, wire: FuseWire): string[] {
  const out: string[] = [];
  if (wire.version !== '1') return [`fuse wire version ${wire.version}, expected 1`];
  for (const [name, index] of Object.entries(fuseIndex) as Array<[FuseName, number]>) {
    const want = expected[name];
    if (want === undefined) continue;
    const state = wire[index];
    if (state !== (want ? ENABLE : DISABLE)) {
      const seen = state === ENABLE ? 'on' : state === DISABLE ? 'off' : state === undefined ? 'missing' : `state ${state}`;
      out.push(`${name}: ${seen}, expected ${want ? 'on' : 'off'}`);
    }
  }
  return out;
}

/** The Electron executables electron-builder left unpacked in `distDir` (one per platform and arch). */
export function packagedExecutables(distDir: string, productName: string, linuxExecutable: string): string[] {
  if (!existsSync(distDir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(distDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(distDir, entry.name);
    for (const candidate of [join(dir, linuxExecutable), join(dir, `${productName}.exe`), join(dir, `${productName}.app`)]) {
      if (existsSync(candidate)) found.push(candidate);
    }
  }
  return found;
}

/** Reads one executable's wire with the @electron/fuses that electron-builder uses. */
export async function readFuseWire(executable: string): Promise<FuseWire> {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
  const fuses = fromBuilder('@electron/fuses') as { getCurrentFuseWire(path: string): Promise<FuseWire> };
  return fuses.getCurrentFuseWire(executable);
}
