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
import { closeSync, openSync, writeSync } from 'node:fs';
import {
  aptInstall,
  canInstallWithApt,
  detectFamily,
  installCommandsForAll,
  missingRequirements,
  packagesFor,
} from './system-packages.mjs';

/**
 * npm hides a dependency's output unless its script fails, so a line meant for the person at the
 * terminal goes to the terminal itself when there is one (and to stderr, npm's log, always).
 */
function tell(line) {
  process.stderr.write(`${line}\n`);
  try {
    const tty = openSync('/dev/tty', 'w');
    writeSync(tty, `${line}\n`);
    closeSync(tty);
  } catch {
    // no terminal (CI): stderr is all there is
  }
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
