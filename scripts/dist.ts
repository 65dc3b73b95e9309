import { resolve } from 'node:path';
import { build, Platform } from 'electron-builder';
import { builder } from '../electron.config.js';
import { fuseMismatches, packagedExecutables, readFuseWire } from './packaged-fuses.js';

// `npm run dist`: packages the built bundles with electron-builder, for this OS by default
// (`npm run dist -- --linux|--win|--mac`). It needs to download the Electron runtime, so it works
// only where GitHub's release downloads are reachable. electron-builder flips the fuses set in
// electron.config.ts before signing; this script then reads them back from every unpacked
// executable and fails when one differs.
const args = process.argv.slice(2);
const targets = args.includes('--win')
  ? Platform.WINDOWS.createTarget()
  : args.includes('--mac')
    ? Platform.MAC.createTarget()
    : args.includes('--linux')
      ? Platform.LINUX.createTarget()
      : undefined;

let files: string[];
try {
  files = await build({ config: builder, ...(targets ? { targets } : {}) });
} catch (e) {
  console.error(`packaging failed: ${e instanceof Error ? e.message : String(e)}`);
  console.error('electron-builder downloads the Electron runtime; where that is blocked, use `npm start` (browser host).');
  process.exit(1);
}

const fuses = builder.electronFuses;
if (!fuses) {
  console.error('packaging refused: electron.config.ts sets no electronFuses');
  process.exit(1);
}
const executables = packagedExecutables(resolve(import.meta.dirname, '..', builder.directories?.output ?? 'dist'), builder.productName ?? 'Wattlet', builder.linux?.executableName ?? 'wattlet');
if (executables.length === 0) {
  console.error('packaging refused: no unpacked executable found to check its fuses');
  process.exit(1);
}
let failed = false;
for (const executable of executables) {
  const wrong = fuseMismatches(fuses, await readFuseWire(executable));
  if (wrong.length > 0) {
    failed = true;
    console.error(`fuses of ${executable} are not as configured:\n${wrong.map((w) => `  ${w}`).join('\n')}`);
  } else {
    console.log(`fuses checked: ${executable}`);
  }
}
if (failed) process.exit(1);
console.log(`packaged:\n${files.map((f) => `  ${f}`).join('\n')}`);
