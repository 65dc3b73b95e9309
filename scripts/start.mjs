// `npm start`: builds if needed, then launches Electron where its runtime is installed and
// otherwise the browser host, with a one-line notice. Options are passed through (see --help).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

const needsBuild = !['out/main/host.js', 'out/main/electron.js', 'out/renderer/index.html'].every((f) => existsSync(join(root, f)));
if (needsBuild && !args.includes('--help') && !args.includes('-h')) {
  const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build.ts')], { stdio: 'inherit', cwd: root });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

function electronBinary() {
  try {
    // The electron package exports the runtime's path, and throws when the runtime was never
    // downloaded (its install script is not approved here).
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
let child;
if (electron) {
  child = spawn(electron, [join(root, 'out', 'main', 'electron.js'), ...args], { stdio: 'inherit', cwd: root });
} else {
  if (!args.includes('--help') && !args.includes('-h')) {
    console.log('Electron runtime not installed: starting the browser host instead.');
  }
  if (!existsSync(join(root, 'out', 'main', 'host.js'))) {
    child = spawn(process.execPath, ['--import', 'tsx', join(root, 'main', 'host', 'host-main.ts'), ...args], { stdio: 'inherit', cwd: root });
  } else {
    child = spawn(process.execPath, [join(root, 'out', 'main', 'host.js'), ...args], { stdio: 'inherit', cwd: root });
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
