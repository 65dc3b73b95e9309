// What Wattlet needs from the operating system, how to tell whether it is there, and which
// package brings it on each family of systems. Plain JavaScript with no dependencies: npm runs
// the install check (install-build-packages.mjs) before any npm package is built or importable.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** @typedef {'debian' | 'fedora' | 'arch' | 'macos'} Family */
/** @typedef {'build' | 'test' | 'qemu'} Purpose */

export const FAMILIES = /** @type {const} */ (['debian', 'fedora', 'arch', 'macos']);

const FAMILY_NAMES = { debian: 'Debian/Ubuntu', fedora: 'Fedora', arch: 'Arch', macos: 'macOS' };
const INSTALL_COMMANDS = {
  debian: 'sudo apt-get install',
  fedora: 'sudo dnf install',
  arch: 'sudo pacman -S --needed',
  macos: 'brew install',
};

/**
 * Each requirement: `probe` says how to find it (a command on PATH, a pkg-config module, a file),
 * `packages` names what brings it per family (null: nothing to install there, or it cannot be had
 * there and `unavailable` says what to do instead); `note` is said wherever it is missing.
 * - build: what `npm install` needs to compile keytar (the keychain binding) and better-sqlite3;
 *   keytar builds against libsecret on Linux only, so macOS needs nothing beyond Xcode's tools.
 * - test: what `npm test` runs against (Chromium, pseudo-terminals from socat, a private D-Bus
 *   session with gnome-keyring as the Secret Service).
 * - qemu: the hardware tests under QEMU (test/hardware), which take their guest kernel from
 *   Debian's archive; WATTLET_SKIP_QEMU=1 leaves them out.
 */
export const REQUIREMENTS = [
  { name: 'python3', purpose: 'build', probe: { command: 'python3' }, packages: { debian: 'python3', fedora: 'python3', arch: 'python', macos: null } },
  { name: 'make', purpose: 'build', probe: { command: 'make' }, packages: { debian: 'make', fedora: 'make', arch: 'make', macos: null } },
  { name: 'g++', purpose: 'build', probe: { command: 'g++' }, packages: { debian: 'g++', fedora: 'gcc-c++', arch: 'gcc', macos: null } },
  { name: 'pkg-config', purpose: 'build', probe: { command: 'pkg-config' }, packages: { debian: 'pkg-config', fedora: 'pkgconf-pkg-config', arch: 'pkgconf', macos: null } },
  { name: 'libsecret-1 (headers)', purpose: 'build', probe: { pkgConfig: 'libsecret-1' }, packages: { debian: 'libsecret-1-dev', fedora: 'libsecret-devel', arch: 'libsecret', macos: null } },

  { name: 'chromium', purpose: 'test', probe: { file: () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }, packages: { debian: 'chromium', fedora: 'chromium', arch: 'chromium', macos: null }, note: 'or set CHROMIUM_PATH to a Chromium binary' },
  { name: 'socat', purpose: 'test', probe: { command: 'socat' }, packages: { debian: 'socat', fedora: 'socat', arch: 'socat', macos: 'socat' } },
  { name: 'dbus-daemon', purpose: 'test', probe: { command: 'dbus-daemon' }, packages: { debian: 'dbus', fedora: 'dbus-daemon', arch: 'dbus', macos: 'dbus' } },
  { name: 'dbus-send', purpose: 'test', probe: { command: 'dbus-send' }, packages: { debian: 'dbus', fedora: 'dbus-tools', arch: 'dbus', macos: 'dbus' } },
  { name: 'gnome-keyring-daemon', purpose: 'test', probe: { command: 'gnome-keyring-daemon' }, packages: { debian: 'gnome-keyring', fedora: 'gnome-keyring', arch: 'gnome-keyring', macos: null }, unavailable: 'the keychain tests need a Secret Service: run them on Linux' },

  { name: 'qemu-system-x86_64', purpose: 'qemu', probe: { command: () => process.env.WATTLET_QEMU ?? 'qemu-system-x86_64' }, packages: { debian: 'qemu-system-x86', fedora: 'qemu-system-x86-core', arch: 'qemu-system-x86', macos: 'qemu' } },
  { name: 'busybox (static)', purpose: 'qemu', probe: { file: () => '/bin/busybox' }, packages: { debian: 'busybox-static', fedora: null, arch: null, macos: null }, unavailable: 'the hardware tests build their guest from Debian packages: run them on Debian/Ubuntu or set WATTLET_SKIP_QEMU=1' },
  { name: 'cpio', purpose: 'qemu', probe: { command: 'cpio' }, packages: { debian: 'cpio', fedora: 'cpio', arch: 'cpio', macos: 'cpio' } },
  { name: 'apt-get', purpose: 'qemu', probe: { command: 'apt-get' }, packages: { debian: 'apt', fedora: null, arch: null, macos: null }, unavailable: 'the hardware tests take their guest kernel from Debian’s archive: run them on Debian/Ubuntu or set WATTLET_SKIP_QEMU=1' },
];

/** The family of the running system, from /etc/os-release on Linux; null when not one of ours. */
export function detectFamily(osRelease = readOsRelease(), platform = process.platform) {
  if (platform === 'darwin') return 'macos';
  if (platform !== 'linux') return null;
  const ids = `${osRelease.ID ?? ''} ${osRelease.ID_LIKE ?? ''}`.toLowerCase().split(/\s+/);
  if (ids.some((id) => id === 'debian' || id === 'ubuntu')) return 'debian';
  if (ids.some((id) => id === 'fedora' || id === 'rhel' || id === 'centos')) return 'fedora';
  if (ids.some((id) => id === 'arch' || id === 'archlinux')) return 'arch';
  return null;
}

function readOsRelease() {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return Object.fromEntries(
      text
        .split('\n')
        .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
        .filter((m) => m !== null)
        .map((m) => [m[1], m[2].replace(/^"(.*)"$/, '$1')]),
    );
  } catch {
    return {};
  }
}

/** The executable's full path when `name` is on PATH (or is a path to an executable), else null. */
export function findCommand(name, path = process.env.PATH ?? '') {
  const candidates = name.includes('/') ? [name] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  return null;
}

/** Is this requirement met on this machine? */
export function isPresent(requirement) {
  const { probe } = requirement;
  if (probe.command !== undefined) return findCommand(typeof probe.command === 'function' ? probe.command() : probe.command) !== null;
  if (probe.file !== undefined) return existsSync(probe.file());
  if (probe.pkgConfig !== undefined) {
    if (findCommand('pkg-config') === null) return false;
    return spawnSync('pkg-config', ['--exists', probe.pkgConfig], { stdio: 'ignore' }).status === 0;
  }
  return false;
}

/** The requirements for these purposes that this machine lacks. */
export function missingRequirements(purposes) {
  return REQUIREMENTS.filter((r) => purposes.includes(r.purpose) && !isPresent(r));
}

/** The distinct packages that bring `requirements` on `family` (those that have one there). */
export function packagesFor(requirements, family) {
  return [...new Set(requirements.map((r) => r.packages[family]).filter((p) => typeof p === 'string'))];
}

/** `sudo apt-get install a b` for one family, or null when nothing there brings them. */
export function installCommand(requirements, family) {
  const packages = packagesFor(requirements, family);
  return packages.length === 0 ? null : `${INSTALL_COMMANDS[family]} ${packages.join(' ')}`;
}

/** One line per family: `Debian/Ubuntu: sudo apt-get install pkg-config libsecret-1-dev; Fedora: …`. */
export function installCommandsForAll(requirements) {
  return FAMILIES.map((family) => `${FAMILY_NAMES[family]}: ${installCommand(requirements, family) ?? 'nothing to install'}`).join('; ');
}

/**
 * `socat not found: sudo apt-get install socat` for one missing requirement on this family (every
 * family's command when the system is not one we know).
 */
export function missingLine(requirement, family = detectFamily()) {
  const command = family === null ? null : installCommand([requirement], family);
  const how = family === null ? installCommandsForAll([requirement]) : (command ?? `no ${FAMILY_NAMES[family]} package`);
  const notes = [requirement.note, command === null ? requirement.unavailable : undefined].filter(Boolean);
  return `${requirement.name} not found: ${how}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** True where this process may install packages itself: root on Debian/Ubuntu with apt-get. */
export function canInstallWithApt(family = detectFamily()) {
  return family === 'debian' && process.getuid?.() === 0 && findCommand('apt-get') !== null;
}

/**
 * Installs Debian packages with apt-get (non-interactive, no recommends), after refreshing the
 * package lists, which a fresh machine does not have. Quiet: apt's output goes to a log file that
 * the error names when it fails.
 */
export function aptInstall(packages) {
  const log = join(mkdtempSync(join(tmpdir(), 'wattlet-apt-')), 'apt.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let output = '';
  for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', ...packages]]) {
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    output += `$ apt-get ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`;
    writeFileSync(log, output);
    if (r.status !== 0) {
      const tail = `${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
      throw new Error(`apt-get ${args[0]} failed (${r.error?.message ?? `exit ${r.status}`}): ${tail} — full log: ${log}`);
    }
  }
}
