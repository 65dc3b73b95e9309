import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  detectFamily,
  findCommand,
  installCommand,
  installCommandsForAll,
  missingLine,
  REQUIREMENTS,
  type RequirementName,
} from '../../../scripts/system/system-packages.mjs';
import { requireSystemTools } from '../../support/system-tools.js';

const requirement = (name: RequirementName) => {
  const r = REQUIREMENTS.find((q) => q.name === name);
  if (!r) throw new Error(`no requirement ${name}`);
  return r;
};

describe('which system the machine is', () => {
  it('reads the family from /etc/os-release, derivatives through ID_LIKE', () => {
    expect(detectFamily({ ID: 'debian' }, 'linux')).toBe('debian');
    expect(detectFamily({ ID: 'linuxmint', ID_LIKE: 'ubuntu debian' }, 'linux')).toBe('debian');
    expect(detectFamily({ ID: 'rocky', ID_LIKE: 'rhel centos fedora' }, 'linux')).toBe('fedora');
    expect(detectFamily({ ID: 'fedora' }, 'linux')).toBe('fedora');
    expect(detectFamily({ ID: 'manjaro', ID_LIKE: 'arch' }, 'linux')).toBe('arch');
    expect(detectFamily({}, 'darwin')).toBe('macos');
    expect(detectFamily({ ID: 'alpine' }, 'linux')).toBeNull();
    expect(detectFamily({}, 'win32')).toBeNull();
  });
});

describe('what to tell a person who lacks a tool', () => {
  it('names the tool and the exact package for the family', () => {
    expect(missingLine(requirement('socat'), 'debian')).toBe('socat not found: sudo apt-get install socat');
    expect(missingLine(requirement('dbus-send'), 'fedora')).toBe('dbus-send not found: sudo dnf install dbus-tools');
    expect(missingLine(requirement('qemu-system-x86_64'), 'arch')).toBe('qemu-system-x86_64 not found: sudo pacman -S --needed qemu-system-x86');
  });

  it('gives every family when the system is not one it knows, and says why where no package helps', () => {
    expect(missingLine(requirement('socat'), null)).toBe(
      'socat not found: Debian/Ubuntu: sudo apt-get install socat; Fedora: sudo dnf install socat; Arch: sudo pacman -S --needed socat; macOS: brew install socat',
    );
    expect(missingLine(requirement('apt-get'), 'fedora')).toMatch(/^apt-get not found: no Fedora package \(.*WATTLET_SKIP_QEMU=1\)$/);
    expect(missingLine(requirement('gnome-keyring-daemon'), 'macos')).toBe(
      'gnome-keyring-daemon not found: no macOS package (the keychain tests need a Secret Service: run them on Linux)',
    );
    // Where the package exists, only the package is named; a note that always applies stays.
    expect(missingLine(requirement('busybox (static)'), 'debian')).toBe('busybox (static) not found: sudo apt-get install busybox-static');
    expect(missingLine(requirement('chromium'), 'debian')).toBe('chromium not found: sudo apt-get install chromium (or set CHROMIUM_PATH to a Chromium binary)');
  });

  it('names the build packages for keytar on all four families in one line', () => {
    const build = REQUIREMENTS.filter((r) => r.name === 'pkg-config' || r.name === 'libsecret-1 (headers)');
    expect(installCommandsForAll(build)).toBe(
      'Debian/Ubuntu: sudo apt-get install pkg-config libsecret-1-dev; Fedora: sudo dnf install pkgconf-pkg-config libsecret-devel; ' +
        'Arch: sudo pacman -S --needed pkgconf libsecret; macOS: nothing to install',
    );
  });

  it('installs each Debian package once, whatever number of tools it brings', () => {
    expect(installCommand([requirement('dbus-daemon'), requirement('dbus-send'), requirement('socat')], 'debian')).toBe('sudo apt-get install dbus socat');
  });
});

describe('finding a tool', () => {
  const dirs: string[] = [];
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('looks for an executable on PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattlet-path-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    writeFileSync(join(dir, 'not-executable'), '');
    chmodSync(join(dir, 'tool'), 0o755);
    expect(findCommand('tool', `/nonexistent:${dir}`)).toBe(join(dir, 'tool'));
    expect(findCommand('not-executable', dir)).toBeNull();
    expect(findCommand('tool', '/nonexistent')).toBeNull();
  });

  it('a test that needs a missing tool fails at once, naming it and its package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattlet-path-'));
    dirs.push(dir);
    process.env.PATH = dir;
    const family = detectFamily();
    expect(() => requireSystemTools('socat')).toThrow(missingLine(requirement('socat'), family));
    expect(() => requireSystemTools('socat')).toThrow(/^socat not found: .*socat/);
    expect(() => requireSystemTools('dbus-daemon', 'gnome-keyring-daemon')).toThrow(/dbus-daemon not found[^]*\ngnome-keyring-daemon not found/);
  });
});
