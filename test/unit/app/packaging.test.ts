import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinuxPackager } from 'electron-builder';
import { afterAll, describe, expect, it } from 'vitest';
import { builder } from '../../../electron.config.js';
import { secureWebPreferences } from '../../../main/app/web-preferences.js';
import { fuseIndex, fuseMismatches, packagedExecutables, readFuseWire, type FuseOptions, type FuseWire } from '../../../scripts/packaged-fuses.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wattlet-fuses-'));
  dirs.push(d);
  return d;
}

describe('the packaging configuration (electron.config.ts)', () => {
  it('packs the app into an asar whose integrity is recorded', () => {
    expect(builder.asar).toBe(true);
    expect(builder.disableAsarIntegrity).toBe(false);
  });

  it('sets every fuse the security model relies on', () => {
    expect(builder.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('loads the bundled main process, which serves the pages over wattlet-app:// and not file://', () => {
    expect(builder.extraMetadata).toMatchObject({ main: 'out/main/electron.js' });
  });
});

// The executable's fuse wire, as Electron ships it: the sentinel, the wire's version (1), its
// length and one byte per fuse, all 'inherit' (unset). Surrounded by other bytes, as in a binary.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
function fakeExecutable(dir: string, name: string, wireLength = 8): string {
  const file = join(dir, name);
  writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), Buffer.from([1, wireLength]), Buffer.alloc(wireLength, 144), Buffer.alloc(1024, 0x90)]));
  return file;
}

// electron-builder's own translation of `electronFuses` into a wire config, and the
// @electron/fuses it flips them with: the same code `npm run dist` runs.
async function flipLikeElectronBuilder(executable: string, fuses: FuseOptions): Promise<void> {
  const generate = (LinuxPackager.prototype as unknown as { generateFuseConfig(f: FuseOptions): Promise<object> }).generateFuseConfig;
  const config = await generate.call(null, fuses);
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
  const { flipFuses } = fromBuilder('@electron/fuses') as { flipFuses(path: string, config: object): Promise<number> };
  await flipFuses(executable, config);
}

describe('fuses read back from a packaged executable', () => {
  it('electron-builder flips exactly the configured fuses, and the check reads them back as configured', async () => {
    const fuses = builder.electronFuses as FuseOptions;
    const exe = fakeExecutable(tempDir(), 'wattlet');
    await flipLikeElectronBuilder(exe, fuses);
    const wire = await readFuseWire(exe);
    expect(fuseMismatches(fuses, wire)).toEqual([]);
    // and what the wire says, byte by byte: '0' off, '1' on
    expect(wire[fuseIndex.runAsNode]).toBe(48);
    expect(wire[fuseIndex.enableNodeOptionsEnvironmentVariable]).toBe(48);
    expect(wire[fuseIndex.enableNodeCliInspectArguments]).toBe(48);
    expect(wire[fuseIndex.enableEmbeddedAsarIntegrityValidation]).toBe(49);
    expect(wire[fuseIndex.onlyLoadAppFromAsar]).toBe(49);
    expect(wire[fuseIndex.grantFileProtocolExtraPrivileges]).toBe(48);
  });

  it('names every fuse of an executable that was never flipped', async () => {
    const fuses = builder.electronFuses as FuseOptions;
    const wire = await readFuseWire(fakeExecutable(tempDir(), 'wattlet'));
    expect(fuseMismatches(fuses, wire)).toEqual([
      'runAsNode: state 144, expected off',
      'enableCookieEncryption: state 144, expected on',
      'enableNodeOptionsEnvironmentVariable: state 144, expected off',
      'enableNodeCliInspectArguments: state 144, expected off',
      'enableEmbeddedAsarIntegrityValidation: state 144, expected on',
      'onlyLoadAppFromAsar: state 144, expected on',
      'grantFileProtocolExtraPrivileges: state 144, expected off',
    ]);
  });

  it('names one fuse flipped the wrong way, and a wire too short to hold a fuse', async () => {
    const fuses = builder.electronFuses as FuseOptions;
    const exe = fakeExecutable(tempDir(), 'wattlet');
    await flipLikeElectronBuilder(exe, { ...fuses, runAsNode: true });
    expect(fuseMismatches(fuses, await readFuseWire(exe))).toEqual(['runAsNode: on, expected off']);
    const short: FuseWire = { version: '1', 0: 48, 1: 49, 2: 48, 3: 48, 4: 49, 5: 49 };
    expect(fuseMismatches(fuses, short)).toEqual(['grantFileProtocolExtraPrivileges: missing, expected off']);
    expect(fuseMismatches(fuses, { version: '2' })).toEqual(['fuse wire version 2, expected 1']);
  });

  it('finds the unpacked executables electron-builder leaves in dist/', () => {
    const dist = tempDir();
    for (const d of ['linux-unpacked', 'win-unpacked', 'mac-arm64', 'empty']) mkdirSync(join(dist, d));
    const linux = fakeExecutable(join(dist, 'linux-unpacked'), 'wattlet');
    copyFileSync(linux, join(dist, 'win-unpacked', 'Wattlet.exe'));
    mkdirSync(join(dist, 'mac-arm64', 'Wattlet.app'));
    writeFileSync(join(dist, 'Wattlet-0.1.0-x86_64.AppImage'), '');
    expect(packagedExecutables(dist, 'Wattlet', 'wattlet').sort()).toEqual(
      [join(dist, 'linux-unpacked', 'wattlet'), join(dist, 'mac-arm64', 'Wattlet.app'), join(dist, 'win-unpacked', 'Wattlet.exe')].sort(),
    );
    expect(packagedExecutables(join(dist, 'nothing-here'), 'Wattlet', 'wattlet')).toEqual([]);
  });
});

describe('secureWebPreferences', () => {
  it('sandboxes every window, isolates its preload and opens DevTools only in development', () => {
    const packaged = secureWebPreferences('/p.cjs', false);
    expect(packaged).toMatchObject({
      preload: '/p.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
    });
    expect(secureWebPreferences('/p.cjs', true).devTools).toBe(true);
  });
});
