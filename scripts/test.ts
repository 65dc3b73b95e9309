// `npm test`: the whole suite, on a fresh machine as on CI.
//
// 1. The system tools the suite needs (scripts/system/system-packages.mjs): as root on
//    Debian/Ubuntu the missing ones are installed with apt-get (one line says which); anywhere
//    else each missing tool is named with its package and nothing runs.
// 2. The steps — typecheck, build, vitest, Playwright — inside a private D-Bus session with an
//    unlocked gnome-keyring, every process marked with this run's scope (scripts/test-session.ts).
// 3. Whatever the steps left running is ended, also when they failed or were interrupted.
//
// WATTLET_SKIP_QEMU=1 leaves out the hardware tests under QEMU (test/hardware) and says so;
// otherwise they run, and QEMU failing to start is a failure (test/hardware/harness/skip-banner.ts).
import { join } from 'node:path';
import {
  aptInstall,
  canInstallWithApt,
  detectFamily,
  installCommand,
  missingLine,
  missingRequirements,
  packagesFor,
  type Purpose,
} from './system/system-packages.mjs';
import { describeSweep } from '../test/support/test-run.js';
import { runTestSession, type TestStep } from './test-session.js';

const root = join(import.meta.dirname, '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const skipQemu = process.env.WATTLET_SKIP_QEMU === '1';

function ensureSystemTools(): boolean {
  const purposes: Purpose[] = skipQemu ? ['test'] : ['test', 'qemu'];
  const missing = missingRequirements(purposes);
  if (missing.length === 0) return true;
  const family = detectFamily();
  if (canInstallWithApt(family)) {
    const packages = packagesFor(missing, 'debian');
    console.log(`npm test: installing ${packages.join(' ')} with apt-get (the test suite runs against them)`);
    try {
      aptInstall(packages);
    } catch (e) {
      console.error(`npm test: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    const still = missingRequirements(purposes);
    if (still.length === 0) return true;
    missing.splice(0, missing.length, ...still);
  }
  for (const r of missing) console.error(`npm test: ${missingLine(r, family)}`);
  const all = family ? installCommand(missing, family) : null;
  console.error(
    `npm test: nothing was run.${all ? ` Install them with \`${all}\`, then run npm test again` : ''} (as root on Debian/Ubuntu npm test installs them itself; WATTLET_SKIP_QEMU=1 leaves out the QEMU hardware tests).`,
  );
  return false;
}

function banner(lines: string[]): void {
  const bar = '!'.repeat(100);
  console.error(`\n${bar}\n${lines.map((l) => `!!! ${l}`).join('\n')}\n${bar}\n`);
}

if (!ensureSystemTools()) process.exit(1);

if (skipQemu) banner(['SKIPPED: test/hardware (QEMU: FTDI and gadget families) — WATTLET_SKIP_QEMU=1 was set.', 'Unset it to run them; CI runs them.']);

const steps: TestStep[] = [
  { label: 'typecheck', command: 'npm', args: ['run', 'typecheck'] },
  { label: 'build', command: 'npm', args: ['run', 'build'] },
  { label: 'vitest', command: bin('vitest'), args: ['run', ...(skipQemu ? ['--exclude', 'test/hardware/**'] : [])] },
  { label: 'playwright', command: bin('playwright'), args: ['test'] },
];

// Ctrl-C reaches the steps through the terminal; a TERM from elsewhere is passed on. Either way
// the session still stops its keyring and ends what is left.
const interrupt = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => interrupt.abort());

const result = await runTestSession({
  steps,
  cwd: root,
  // The hardware tests skip only on WATTLET_SKIP_QEMU=1 (inherited); otherwise a QEMU that
  // cannot start fails them (test/hardware/README.md).
  env: {},
  signal: interrupt.signal,
});
process.stderr.write(describeSweep('npm test', result.leftovers));
if (result.failedStep) console.error(`npm test: failed at ${result.failedStep} (exit ${result.exitCode})`);
process.exit(result.exitCode);
