import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';
import { cacheDir } from './paths.js';

/**
 * The kernel modules the guest may load, by the name the guest's `insmod` uses, with their
 * path in Debian's linux-image package (USB is built as modules there, and so are the gadget
 * stack and every USB-serial driver). Dependencies come before the modules that need them.
 */
export const GUEST_MODULES = {
  // xHCI host and usbfs: what QEMU's emulated FTDI is plugged into.
  'usb-common': 'drivers/usb/common/usb-common.ko',
  usbcore: 'drivers/usb/core/usbcore.ko',
  'xhci-hcd': 'drivers/usb/host/xhci-hcd.ko',
  'xhci-pci': 'drivers/usb/host/xhci-pci.ko',
  // Linux's own USB gadget stack: dummy_hcd is a host controller and a device controller joined
  // back to back, so a gadget (configfs acm, or FunctionFS) appears on the guest's own USB bus.
  configfs: 'fs/configfs/configfs.ko',
  'udc-core': 'drivers/usb/gadget/udc/udc-core.ko',
  libcomposite: 'drivers/usb/gadget/libcomposite.ko',
  dummy_hcd: 'drivers/usb/gadget/udc/dummy_hcd.ko',
  u_serial: 'drivers/usb/gadget/function/u_serial.ko',
  usb_f_acm: 'drivers/usb/gadget/function/usb_f_acm.ko',
  usb_f_fs: 'drivers/usb/gadget/function/usb_f_fs.ko',
  // The kernel's serial drivers: the OS-serial path, and the independent reference the
  // simulated chips are checked against.
  usbserial: 'drivers/usb/serial/usbserial.ko',
  ftdi_sio: 'drivers/usb/serial/ftdi_sio.ko',
  ch341: 'drivers/usb/serial/ch341.ko',
  cp210x: 'drivers/usb/serial/cp210x.ko',
  pl2303: 'drivers/usb/serial/pl2303.ko',
  'cdc-acm': 'drivers/usb/class/cdc-acm.ko',
} as const;

export type GuestModule = keyof typeof GUEST_MODULES;

export interface GuestKernel {
  readonly version: string;
  readonly vmlinuz: string;
  /** Host path of every module in GUEST_MODULES. */
  readonly modules: Readonly<Record<GuestModule, string>>;
}

/** `linux-image-6.1.0-NN-amd64`: the package linux-image-amd64 currently depends on. */
function kernelPackageName(): string {
  const query = (): string | null => {
    try {
      return /Depends:\s*(linux-image-[0-9][^\s]*-amd64)/.exec(run('apt-cache', ['depends', 'linux-image-amd64']))?.[1] ?? null;
    } catch {
      return null;
    }
  };
  // A fresh machine may have no package lists yet: then apt-cache fails or names nothing.
  let name = query();
  if (!name) {
    run('apt-get', ['update', '-q'], { stdio: 'ignore' });
    name = query();
  }
  if (!name) throw new Error('apt-cache depends linux-image-amd64 names no linux-image-*-amd64 package, even after apt-get update');
  return name;
}

function extracted(root: string, version: string): GuestKernel | null {
  const vmlinuz = join(root, 'boot', `vmlinuz-${version}`);
  const modules = Object.fromEntries(
    Object.entries(GUEST_MODULES).map(([name, rel]) => [name, join(root, 'lib', 'modules', version, 'kernel', rel)]),
  ) as Record<GuestModule, string>;
  return existsSync(vmlinuz) && Object.values(modules).every((m) => existsSync(m)) ? { version, vmlinuz, modules } : null;
}

/**
 * Debian's own kernel, fetched without installing it on the host: `apt-get download` the
 * versioned image package and unpack only the kernel and the modules above. Cached per version.
 */
export function ensureKernel(): GuestKernel {
  const base = join(cacheDir(), 'kernel');
  mkdirSync(base, { recursive: true });
  let pkg: string;
  try {
    pkg = kernelPackageName();
  } catch (e) {
    // Offline with a kernel already cached: use it rather than fail.
    for (const cached of readdirSync(base).filter((d) => d.startsWith('linux-image-'))) {
      const k = extracted(join(base, cached), cached.replace(/^linux-image-/, ''));
      if (k) return k;
    }
    throw e;
  }
  const version = pkg.replace(/^linux-image-/, '');
  const root = join(base, pkg);
  const have = extracted(root, version);
  if (have) return have;

  const dl = join(base, 'download');
  rmSync(dl, { recursive: true, force: true });
  mkdirSync(dl, { recursive: true });
  // apt warns (harmlessly) that _apt cannot write here when run as root; the file still arrives.
  run('apt-get', ['download', '-q', pkg], { cwd: dl });
  const deb = readdirSync(dl).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb in ${dl}`);
  const tmp = `${root}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  run('sh', [
    '-c',
    'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" --wildcards "./boot/vmlinuz-*" ' +
      Object.values(GUEST_MODULES).map((m) => `"./lib/modules/*/kernel/${m}"`).join(' '),
    'sh',
    join(dl, deb),
    tmp,
  ]);
  rmSync(root, { recursive: true, force: true });
  renameSync(tmp, root);
  rmSync(dl, { recursive: true, force: true });
  const k = extracted(root, version);
  if (!k) throw new Error(`${deb} did not contain vmlinuz-${version} and the modules the guest needs (${Object.keys(GUEST_MODULES).join(', ')})`);
  return k;
}
