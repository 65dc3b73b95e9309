import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Configuration as BuilderConfig } from 'electron-builder';
import type { BuildOptions } from 'esbuild';
import type { InlineConfig } from 'vite';

/**
 * The one build configuration: three bundles (main, preload, renderer) and the packaging.
 * `npm run build` (scripts/build.ts) builds the bundles; `npm run dist` packages them.
 */
const root = import.meta.dirname;
const out = resolve(root, 'out');

// Native addons and Electron stay outside the bundle: they are loaded from node_modules
// (unpacked from the asar, see `asarUnpack`).
const external = ['electron', 'better-sqlite3', 'keytar', 'usb', 'serialport', '@serialport/*', 'hardhat', 'solc'];

const node: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  packages: 'external',
  external,
  logLevel: 'warning',
  // ESM bundles still meet CommonJS dependencies that call require().
  banner: { js: "import { createRequire as __wattletRequire } from 'node:module'; const require = __wattletRequire(import.meta.url);" },
};

export const main: BuildOptions = {
  ...node,
  entryPoints: {
    electron: resolve(root, 'main/app/electron-main.ts'),
    host: resolve(root, 'main/host/host-main.ts'),
    cli: resolve(root, 'main/cli/main.ts'),
  },
  outdir: resolve(out, 'main'),
};

// Sandboxed preloads must be CommonJS and may require only 'electron'.
export const preload: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['electron'],
  logLevel: 'warning',
  entryPoints: Object.fromEntries(
    ['index', 'approval']
      .filter((name) => existsSync(resolve(root, `preload/${name}.ts`)))
      .map((name) => [name, resolve(root, `preload/${name}.ts`)]),
  ),
  outdir: resolve(out, 'preload'),
  outExtension: { '.js': '.cjs' },
};

export const renderer: InlineConfig = {
  configFile: false,
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [svelte()],
  logLevel: 'warn',
  build: {
    outDir: resolve(out, 'renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: Object.fromEntries(
        ['index', 'approve']
          .filter((name) => existsSync(resolve(root, `renderer/${name}.html`)))
          .map((name) => [name, resolve(root, `renderer/${name}.html`)]),
      ),
    },
  },
};

export const builder: BuilderConfig = {
  appId: 'org.wattlet.app',
  productName: 'Wattlet',
  directories: { output: 'dist', buildResources: 'resources/build' },
  files: ['out/**', 'resources/**', 'package.json', '!resources/build/**'],
  extraMetadata: { main: 'out/main/electron.js' },
  asar: true,
  // electron-builder records the asar's header hash in the executable (macOS Info.plist,
  // Windows resource) unless `disableAsarIntegrity` is set; the fuse below makes Electron check it.
  disableAsarIntegrity: false,
  // Flipped in the packaged executable right before signing (@electron/fuses). What each closes:
  electronFuses: {
    // ELECTRON_RUN_AS_NODE=1 would turn the signed executable into a plain Node running any script.
    runAsNode: false,
    // NODE_OPTIONS (--require, --import) would load code before the app's own.
    enableNodeOptionsEnvironmentVariable: false,
    // --inspect* and SIGUSR1 would open a debugger on the main process, which holds the keys'
    // session; main/app/launch-argv.ts refuses these switches in a packaged app as well.
    enableNodeCliInspectArguments: false,
    // The app.asar must match the hash recorded at packaging (macOS and Windows; Linux has no
    // such check in Electron yet, there the package manager's files are the trust root).
    enableEmbeddedAsarIntegrityValidation: true,
    // Only app.asar is loaded: no app/ folder or default_app.asar beside it can replace the code.
    onlyLoadAppFromAsar: true,
    // Cookies on disk encrypted with the OS keychain's key (the app sets none, but Chromium may).
    enableCookieEncryption: true,
    // file:// pages get no privileges beyond a browser's: the app is served from wattlet-app://.
    grantFileProtocolExtraPrivileges: false,
  },
  // Native modules must live on disk, not inside the asar archive.
  asarUnpack: ['**/*.node', 'node_modules/better-sqlite3/**', 'node_modules/keytar/**', 'node_modules/usb/**', 'node_modules/@node-usb/**', 'node_modules/@serialport/**'],
  // usb 3 ships N-API prebuilds; better-sqlite3 and keytar are rebuilt for Electron's ABI.
  npmRebuild: true,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Utility',
    executableName: 'wattlet',
  },
  deb: {
    // electron-builder's own list (app-builder-lib FpmTarget.getDefaultDepends), plus a CJK font:
    // the window speaks Chinese, and a system without one shows boxes (base.css lists the families).
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'fonts-noto-cjk | fonts-wqy-microhei'],
    // The udev rule lets the logged-in user open meter adapters without root.
    afterInstall: 'resources/udev/after-install.sh',
    fpm: ['resources/udev/99-wattlet.rules=/usr/lib/udev/rules.d/99-wattlet.rules'],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.utilities' },
};
