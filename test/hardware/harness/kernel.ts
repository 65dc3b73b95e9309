import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';
import { cacheDir } from './paths.js';

export interface GuestKernel {
  readonly version: string;
  readonly vmlinuz: string;
  /** The USB host modules, in the order insmod needs them. */
  readonly modules: readonly string[];
}

/**
 * The four modules that give Debian's kernel an xHCI host and usbfs (USB is built as modules
 * there). Deliberately not usbserial/ftdi_sio: the project's own userspace driver must be the
 * one that claims the adapter.
 */
const USB_MODULES = [
  'drivers/usb/common/usb-common.ko',
  'drivers/usb/core/usbcore.ko',
  'drivers/usb/host/xhci-hcd.ko',
  'drivers/usb/host/xhci-pci.ko',
] as const;

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
  const modules = USB_MODULES.map((m) => join(root, 'lib', 'modules', version, 'kernel', m));
  return existsSync(vmlinuz) && modules.every((m) => existsSync(m)) ? { version, vmlinuz, modules } : null;
}

/**
 * Debian's own kernel, fetched without installing it on the host: `apt-get download` the
 * versioned image package and unpack only the kernel and the four modules. Cached per version.
 */
export function ensureKernel(): GuestKernel {
  const base = join(cacheDir(), 'kernel');
  mkdirSync(base, { recursive: true });
  let pkg: string;
  try {
    pkg = kernelPackageName();
  } catch (e) {
    // Offline with a kernel already cached: use it rather than fail.
    const cached = readdirSync(base).find((d) => d.startsWith('linux-image-'));
    if (cached) {
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
      USB_MODULES.map((m) => `"./lib/modules/*/kernel/${m}"`).join(' '),
    'sh',
    join(dl, deb),
    tmp,
  ]);
  rmSync(root, { recursive: true, force: true });
  renameSync(tmp, root);
  rmSync(dl, { recursive: true, force: true });
  const k = extracted(root, version);
  if (!k) throw new Error(`${deb} did not contain vmlinuz-${version} and the USB host modules`);
  return k;
}
