import { build, Platform } from 'electron-builder';
import { builder } from '../electron.config.js';

// `npm run dist`: packages the built bundles with electron-builder, for this OS by default
// (`npm run dist -- --linux|--win|--mac`). It needs to download the Electron runtime, so it works
// only where GitHub's release downloads are reachable.
const args = process.argv.slice(2);
const targets = args.includes('--win')
  ? Platform.WINDOWS.createTarget()
  : args.includes('--mac')
    ? Platform.MAC.createTarget()
    : args.includes('--linux')
      ? Platform.LINUX.createTarget()
      : undefined;

try {
  const files = await build({ config: builder, ...(targets ? { targets } : {}) });
  console.log(`packaged:\n${files.map((f) => `  ${f}`).join('\n')}`);
} catch (e) {
  console.error(`packaging failed: ${e instanceof Error ? e.message : String(e)}`);
  console.error('electron-builder downloads the Electron runtime; where that is blocked, use `npm start` (browser host).');
  process.exit(1);
}
