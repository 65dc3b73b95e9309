import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, sep } from 'node:path';
import { debianPackageFiles } from './debian-package.js';
import { ensureDebianPackages, run } from './exec.js';
import type { GuestKernel } from './kernel.js';
import { cacheDir, REPO_ROOT } from './paths.js';

/** Bump when the layout of the base archive changes, so stale caches are rebuilt. */
const BASE_LAYOUT = 4;

/** Where the `usb` package and its native addon sit, resolved the way the project resolves them. */
function usbPackageDirs(): { usb: string; native: string } {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const usb = dirname(require.resolve('usb/package.json'));
  const requireFromUsb = createRequire(join(usb, 'package.json'));
  const native = dirname(requireFromUsb.resolve(`@node-usb/usb-${process.platform}-${process.arch}-gnu/package.json`));
  return { usb, native };
}

/**
 * The package folder `name` resolves to from `fromDir`, by Node's lookup (node_modules folders
 * upwards). Not require.resolve: packages whose "exports" hide package.json would defeat it.
 */
function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`cannot find package ${name} from ${fromDir}`);
  }
}

/**
 * `serialport` and every package it needs at run time, each with the path it has under the
 * project's node_modules, so the guest resolves them the way the host does.
 */
function serialportPackageDirs(): string[] {
  const root = realpathSync(join(REPO_ROOT, 'node_modules'));
  const seen = new Set<string>();
  const walk = (name: string, from: string): void => {
    const dir = packageDir(name, from);
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) walk(dep, dir);
  };
  walk('serialport', REPO_ROOT);
  for (const d of seen) if (!d.startsWith(root)) throw new Error(`${d} is outside the project's node_modules`);
  return [...seen].sort();
}

/** The serialport binding's native addon for this machine (node-gyp-build's prebuild). */
function serialportAddon(dirs: readonly string[]): string {
  const bindings = dirs.find((d) => d.endsWith(join('@serialport', 'bindings-cpp')));
  if (!bindings) throw new Error('serialport has no @serialport/bindings-cpp among its dependencies');
  const addon = join(bindings, 'prebuilds', `${process.platform}-${process.arch}`, '@serialport+bindings-cpp.glibc.node');
  if (!existsSync(addon)) throw new Error(`serialport's native addon is missing: ${addon}`);
  return addon;
}

/** Shared libraries `ldd` lists for an ELF file, as absolute host paths (the loader included). */
function sharedLibraries(elf: string): string[] {
  const out = run('ldd', [elf]);
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s*\(/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs;
}

/** Copy a host file into the staging tree at the same path (symlinks resolved to their file). */
function stageHostFile(stage: string, hostPath: string): void {
  const dest = join(stage, hostPath);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(realpathSync(hostPath), dest);
  chmodSync(dest, statSync(realpathSync(hostPath)).mode & 0o777);
}

/** newc cpio of a staging directory, owned by root, uncompressed (the kernel unpacks it fastest). */
function cpio(stage: string, out: string): void {
  run('sh', ['-c', 'cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet > "$2"', 'sh', stage, out]);
}

export interface BaseInitramfs {
  readonly path: string;
  readonly bytes: number;
}

/**
 * Debian's udev (systemd-udevd is udevadm under another name) and the two stock rule files the
 * hot-plug scenario relies on: 50-udev-default (device node modes, as on any Debian) and
 * systemd's 73-seat-late (which turns TAG "uaccess" into an ACL for the user at the seat).
 */
function udevFiles(): { udevadm: string; rules: string[] } {
  const udev = debianPackageFiles('udev', ['./bin/udevadm', './lib/udev/rules.d/50-udev-default.rules']);
  const systemd = debianPackageFiles('systemd', ['./lib/udev/rules.d/73-seat-late.rules']);
  const udevadm = join(udev, 'bin/udevadm');
  const rules = [join(udev, 'lib/udev/rules.d/50-udev-default.rules'), join(systemd, 'lib/udev/rules.d/73-seat-late.rules')];
  for (const f of [udevadm, ...rules]) if (!existsSync(f)) throw new Error(`${f} missing from the unpacked Debian package`);
  return { udevadm, rules };
}

/** The guest's users: root, the person at the seat (uid 1000, not in any device group). */
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nwattlet:x:1000:1000:Wattlet user:/tmp:/bin/sh\n';
const GROUP = 'root:x:0:\ndialout:x:20:\nplugdev:x:46:\nwattlet:x:1000:\n';

/**
 * The large, slow-changing part of the guest's root: busybox, the kernel modules, the host's
 * `node` with the libraries it and the native addons load, the `usb` and `serialport` packages
 * with their native binaries, and Debian's udevd. Cached under a key of everything that goes in.
 */
export function ensureBaseInitramfs(kernel: GuestKernel): BaseInitramfs {
  ensureDebianPackages([
    { pkg: 'busybox-static', provides: '/bin/busybox' },
    { pkg: 'cpio', provides: 'cpio' },
  ]);
  const node = realpathSync(process.execPath);
  const { usb, native } = usbPackageDirs();
  const addon = join(native, `usb.${process.platform}-${process.arch}-gnu.node`);
  if (!existsSync(addon)) throw new Error(`the usb package's native addon is missing: ${addon}`);
  const serialport = serialportPackageDirs();
  const spAddon = serialportAddon(serialport);
  const udev = udevFiles();
  const busybox = '/bin/busybox';
  const libs = [...new Set([node, addon, spAddon, udev.udevadm].flatMap(sharedLibraries))].sort();
  const modules = Object.entries(kernel.modules).sort(([a], [b]) => a.localeCompare(b));

  const key = createHash('sha256')
    .update(
      JSON.stringify({
        BASE_LAYOUT,
        kernel: kernel.version,
        modules: modules.map(([n]) => n),
        files: [node, addon, spAddon, busybox, udev.udevadm, ...udev.rules, ...libs].map((f) => [f, statSync(f).size, statSync(f).mtimeMs]),
        usb: readFileSync(join(usb, 'package.json'), 'utf8'),
        serialport: serialport.map((d) => [d, JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).version]),
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const path = join(cacheDir(), `base-${key}.cpio`);
  if (existsSync(path)) return { path, bytes: statSync(path).size };

  const stage = join(cacheDir(), `stage-${key}`);
  rmSync(stage, { recursive: true, force: true });
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'tmp', 'run', 'etc/udev/rules.d', 'usr/lib/udev/rules.d', 'usr/lib/systemd', 'lib/modules', 'app']) {
    mkdirSync(join(stage, d), { recursive: true });
  }
  copyFileSync(busybox, join(stage, 'bin/busybox'));
  chmodSync(join(stage, 'bin/busybox'), 0o755);
  for (const [name, file] of modules) copyFileSync(file, join(stage, 'lib/modules', `${name}.ko`));
  copyFileSync(node, join(stage, 'usr/bin/node'));
  chmodSync(join(stage, 'usr/bin/node'), 0o755);
  for (const lib of libs) stageHostFile(stage, lib);
  // The loader path is baked into node's ELF header as /lib64/ld-linux-x86-64.so.2.
  for (const lib of libs.filter((l) => basename(l).startsWith('ld-linux'))) {
    if (!existsSync(join(stage, 'lib64', basename(lib)))) stageHostFile(stage, join('/lib64', basename(lib)));
  }
  const nm = join(stage, 'app/node_modules');
  cpSync(usb, join(nm, 'usb'), { recursive: true, dereference: true });
  cpSync(native, join(nm, '@node-usb', basename(native)), { recursive: true, dereference: true });
  const hostModules = realpathSync(join(REPO_ROOT, 'node_modules'));
  for (const dir of serialport) {
    cpSync(dir, join(nm, relative(hostModules, dir)), {
      recursive: true,
      dereference: true,
      // Only this machine's prebuilt addon: the others are several MB of other platforms.
      filter: (src) => !/[\\/]prebuilds[\\/]/.test(src) || src.endsWith('prebuilds') || src.includes(`prebuilds${sep}${process.platform}-${process.arch}`),
    });
  }
  copyFileSync(udev.udevadm, join(stage, 'bin/udevadm'));
  chmodSync(join(stage, 'bin/udevadm'), 0o755);
  symlinkSync('/bin/udevadm', join(stage, 'usr/lib/systemd/systemd-udevd'));
  for (const r of udev.rules) copyFileSync(r, join(stage, 'usr/lib/udev/rules.d', basename(r)));
  writeFileSync(join(stage, 'etc/passwd'), PASSWD);
  writeFileSync(join(stage, 'etc/group'), GROUP);

  const tmp = `${path}.tmp`;
  cpio(stage, tmp);
  renameSync(tmp, path);
  rmSync(stage, { recursive: true, force: true });
  return { path, bytes: statSync(path).size };
}

/**
 * The guest's /init. Loads the xHCI host modules (no serial drivers: the guest program loads
 * what each scenario needs), waits for QEMU's FTDI at 1-1 in the FTDI family, makes ttyS1 (the
 * host's control socket) raw, runs the guest program for the family and powers off. Every line
 * meant for the host starts with WATTLET-; the kernel's own console noise does not.
 */
const INIT = `#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/usr/bin:/bin:/sbin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
chmod 1777 /tmp
exec </dev/console >/dev/console 2>&1
FAMILY=none
for arg in $(cat /proc/cmdline); do
  case "$arg" in wattlet.family=*) FAMILY="\${arg#wattlet.family=}" ;; esac
done
echo "WATTLET-BOOT init family=$FAMILY uptime=$(cut -d' ' -f1 /proc/uptime)"
for m in usb-common usbcore xhci-hcd xhci-pci; do
  insmod /lib/modules/$m.ko || echo "WATTLET-BOOT insmod $m failed"
done
if [ "$FAMILY" = ftdi ]; then
  i=0
  while [ ! -e /sys/bus/usb/devices/1-1 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
fi
echo "WATTLET-BOOT modules $(cut -d' ' -f1 /proc/modules | tr '\\n' ' ')"
echo "WATTLET-BOOT usb uptime=$(cut -d' ' -f1 /proc/uptime) device=$(cat /sys/bus/usb/devices/1-1/idVendor 2>/dev/null):$(cat /sys/bus/usb/devices/1-1/idProduct 2>/dev/null)"
stty -F /dev/ttyS1 raw -echo
cd /app
# The chip gadgets answer control requests from JavaScript through blocking FunctionFS reads:
# give libuv's thread pool room for them next to the serial ports' and the control channel's.
UV_THREADPOOL_SIZE=16 /usr/bin/node /app/guest.mjs "$FAMILY"
echo "WATTLET-EXIT $? uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
`;

/** Files of the per-run archive besides /init and the guest bundle: guest path → content. */
export type ExtraFiles = Readonly<Record<string, string>>;

/**
 * The per-run archive: /init, the esbuild bundle of the guest program and `extra` files (the
 * project's udev rule). Appended to the base archive: the kernel unpacks concatenated newc
 * archives in order.
 */
export function buildInitramfs(base: BaseInitramfs, guestBundle: string, outDir: string, extra: ExtraFiles = {}): string {
  const stage = join(outDir, 'app-stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'app'), { recursive: true });
  writeFileSync(join(stage, 'init'), INIT, { mode: 0o755 });
  copyFileSync(guestBundle, join(stage, 'app/guest.mjs'));
  for (const [path, content] of Object.entries(extra)) {
    const dest = join(stage, path);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, content);
  }
  const app = join(outDir, 'app.cpio');
  cpio(stage, app);
  const out = join(outDir, 'initramfs.cpio');
  run('sh', ['-c', 'cat "$1" "$2" > "$3"', 'sh', base.path, app, out]);
  rmSync(stage, { recursive: true, force: true });
  rmSync(app, { force: true });
  return out;
}
