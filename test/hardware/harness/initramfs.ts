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
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { ensureDebianPackages, run } from './exec.js';
import type { GuestKernel } from './kernel.js';
import { cacheDir, REPO_ROOT } from './paths.js';

/** Bump when the layout of the base archive changes, so stale caches are rebuilt. */
const BASE_LAYOUT = 3;

/** Where the `usb` package and its native addon sit, resolved the way the project resolves them. */
function usbPackageDirs(): { usb: string; native: string } {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const usb = dirname(require.resolve('usb/package.json'));
  const requireFromUsb = createRequire(join(usb, 'package.json'));
  const native = dirname(requireFromUsb.resolve(`@node-usb/usb-${process.platform}-${process.arch}-gnu/package.json`));
  return { usb, native };
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
 * The large, slow-changing part of the guest's root: busybox, the kernel's USB host modules,
 * the host's `node` with the libraries it and the `usb` addon load, and the `usb` package with
 * its native binary. Cached under a key of everything that goes in.
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
  const busybox = '/bin/busybox';
  const libs = [...new Set([...sharedLibraries(node), ...sharedLibraries(addon)])].sort();

  const key = createHash('sha256')
    .update(
      JSON.stringify({
        BASE_LAYOUT,
        kernel: kernel.version,
        files: [node, addon, busybox, ...libs].map((f) => [f, statSync(f).size, statSync(f).mtimeMs]),
        usb: readFileSync(join(usb, 'package.json'), 'utf8'),
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const path = join(cacheDir(), `base-${key}.cpio`);
  if (existsSync(path)) return { path, bytes: statSync(path).size };

  const stage = join(cacheDir(), `stage-${key}`);
  rmSync(stage, { recursive: true, force: true });
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'tmp', 'run', 'lib/modules', 'app']) {
    mkdirSync(join(stage, d), { recursive: true });
  }
  copyFileSync(busybox, join(stage, 'bin/busybox'));
  chmodSync(join(stage, 'bin/busybox'), 0o755);
  for (const m of kernel.modules) copyFileSync(m, join(stage, 'lib/modules', basename(m)));
  mkdirSync(join(stage, 'usr/bin'), { recursive: true });
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

  const tmp = `${path}.tmp`;
  cpio(stage, tmp);
  renameSync(tmp, path);
  rmSync(stage, { recursive: true, force: true });
  return { path, bytes: statSync(path).size };
}

/**
 * The guest's /init. Loads the USB host modules (no serial drivers), waits for the adapter at
 * 1-1 when the scenario expects it plugged at boot, runs the guest bundle and powers off.
 * Every line meant for the host starts with WATTLET-; the kernel's own console noise does not.
 */
const INIT = `#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/usr/bin:/bin:/sbin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
exec </dev/console >/dev/console 2>&1
SCENARIO=none
for arg in $(cat /proc/cmdline); do
  case "$arg" in wattlet.scenario=*) SCENARIO="\${arg#wattlet.scenario=}" ;; esac
done
echo "WATTLET-BOOT init scenario=$SCENARIO uptime=$(cut -d' ' -f1 /proc/uptime)"
for m in usb-common usbcore xhci-hcd xhci-pci; do
  insmod /lib/modules/$m.ko || echo "WATTLET-BOOT insmod $m failed"
done
i=0
while [ ! -e /sys/bus/usb/devices/1-1 ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
echo "WATTLET-BOOT modules $(cut -d' ' -f1 /proc/modules | tr '\\n' ' ')"
echo "WATTLET-BOOT usb uptime=$(cut -d' ' -f1 /proc/uptime) device=$(cat /sys/bus/usb/devices/1-1/idVendor 2>/dev/null):$(cat /sys/bus/usb/devices/1-1/idProduct 2>/dev/null)"
cd /app
/usr/bin/node /app/guest.mjs "$SCENARIO"
echo "WATTLET-EXIT $? uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
`;

/**
 * The per-run archive: /init and the esbuild bundle of the guest program. Appended to the base
 * archive: the kernel unpacks concatenated newc archives in order.
 */
export function buildInitramfs(base: BaseInitramfs, guestBundle: string, outDir: string): string {
  const stage = join(outDir, 'app-stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'app'), { recursive: true });
  writeFileSync(join(stage, 'init'), INIT, { mode: 0o755 });
  copyFileSync(guestBundle, join(stage, 'app/guest.mjs'));
  const app = join(outDir, 'app.cpio');
  cpio(stage, app);
  const out = join(outDir, 'initramfs.cpio');
  run('sh', ['-c', 'cat "$1" "$2" > "$3"', 'sh', base.path, app, out]);
  rmSync(stage, { recursive: true, force: true });
  rmSync(app, { force: true });
  return out;
}
