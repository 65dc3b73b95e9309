// `npm install`'s first step: make sure keytar (the keychain binding) can be compiled.
//
// Why a package of its own: npm 11 runs the project's own `preinstall` only after every dependency
// has been built, so it comes too late for keytar, which compiles against libsecret through
// pkg-config. A dependency's `preinstall`, though, runs before any dependency's `install` (keytar's
// build), and when it fails npm rolls the whole install back: nothing is left half-installed.
// (`install-links=true` in .npmrc and the `file:scripts/system` spec make npm copy this folder in
// as a regular dependency rather than link it; linked packages are built last.)
//
// As root on Debian/Ubuntu it installs what is missing with apt-get and says so in one line;
// anywhere else it stops with one line naming the packages.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import {
  aptInstall,
  canInstallWithApt,
  detectFamily,
  installCommandsForAll,
  missingRequirements,
  packagesFor,
} from './system-packages.mjs';

/**
 * npm hides a dependency's output unless its script fails, so a line meant for the person goes to
 * npm's own stderr (found through /proc: this script runs under `sh -c`, under npm), which is the
 * terminal or CI's log; failing that to the terminal. stderr (npm's debug log) always gets it.
 */
function tell(line) {
  process.stderr.write(`${line}\n`);
  for (const target of [npmStderr(), '/dev/tty']) {
    if (target === null) continue;
    try {
      const fd = openSync(target, 'a');
      writeSync(fd, `${line}\n`);
      closeSync(fd);
      return;
    } catch {
      // not writable (no terminal in CI): try the next
    }
  }
}

/** /proc/<pid>/fd/2 of the nearest ancestor that is npm, or null. */
function npmStderr() {
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (/(^|[/\s])npm(-cli\.js)?(\s|$)/.test(cmdline)) return `/proc/${pid}/fd/2`;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return null;
    }
  }
  return null;
}

// keytar links libsecret only on Linux (macOS: the Keychain; Windows: Credential Vault).
if (process.platform === 'linux') {
  const missing = missingRequirements(['build']);
  if (missing.length > 0) {
    const family = detectFamily();
    const names = missing.map((r) => r.name).join(', ');
    if (canInstallWithApt(family)) {
      const packages = packagesFor(missing, 'debian');
      tell(`wattlet: installing ${packages.join(' ')} with apt-get (keytar, the keychain binding, is compiled against them)`);
      try {
        aptInstall(packages);
      } catch (e) {
        console.error(`wattlet: could not install ${packages.join(' ')}: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      }
      const still = missingRequirements(['build']);
      if (still.length > 0) {
        console.error(`wattlet: still missing after apt-get: ${still.map((r) => r.name).join(', ')}`);
        process.exit(1);
      }
    } else {
      console.error(
        `wattlet: npm install needs ${names} to compile keytar (the keychain binding); install them, then run npm install again — ${installCommandsForAll(missing)}`,
      );
      process.exit(1);
    }
  }
}
