import { existsSync, mkdirSync, readdirSync, rmdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { run } from '../linux.js';

const CONFIGFS = '/sys/kernel/config';
const GADGETS = `${CONFIGFS}/usb_gadget`;

export interface GadgetIdentity {
  readonly vendorId: number;
  readonly productId: number;
  readonly bcdDevice: number;
  readonly deviceClass: number;
  readonly manufacturer: string;
  readonly product: string;
  readonly serialNumber: string | null;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

export async function mountConfigfs(): Promise<void> {
  if (!existsSync(GADGETS)) await run('mount', ['-t', 'configfs', 'none', CONFIGFS]);
}

/** The first (only) device controller: dummy_hcd's "dummy_udc.0". */
export function udcName(): string {
  const udc = readdirSync('/sys/class/udc')[0];
  if (!udc) throw new Error('no USB device controller (is dummy_hcd loaded?)');
  return udc;
}

/**
 * A USB gadget composed in configfs (Documentation/usb/gadget_configfs.rst): identity,
 * strings, one configuration holding one function (acm.<name> or ffs.<name>). Binding it to the
 * UDC plugs it into the guest's dummy_hcd bus; unbinding unplugs it.
 */
export class ConfigfsGadget {
  readonly dir: string;

  constructor(readonly name: string, readonly fn: string) {
    this.dir = `${GADGETS}/${name}`;
  }

  create(id: GadgetIdentity): void {
    mkdirSync(this.dir, { recursive: true });
    this.identify(id);
    mkdirSync(`${this.dir}/functions/${this.fn}`, { recursive: true });
    mkdirSync(`${this.dir}/configs/c.1/strings/0x409`, { recursive: true });
    writeFileSync(`${this.dir}/configs/c.1/strings/0x409/configuration`, 'wattlet');
    writeFileSync(`${this.dir}/configs/c.1/MaxPower`, '100');
    if (!existsSync(`${this.dir}/configs/c.1/${this.fn}`)) symlinkSync(`${this.dir}/functions/${this.fn}`, `${this.dir}/configs/c.1/${this.fn}`);
  }

  /** Device descriptor fields and strings; only while unbound. */
  identify(id: GadgetIdentity): void {
    writeFileSync(`${this.dir}/idVendor`, hex(id.vendorId));
    writeFileSync(`${this.dir}/idProduct`, hex(id.productId));
    writeFileSync(`${this.dir}/bcdDevice`, hex(id.bcdDevice));
    writeFileSync(`${this.dir}/bDeviceClass`, `0x${id.deviceClass.toString(16)}`);
    mkdirSync(`${this.dir}/strings/0x409`, { recursive: true });
    writeFileSync(`${this.dir}/strings/0x409/manufacturer`, id.manufacturer);
    writeFileSync(`${this.dir}/strings/0x409/product`, id.product);
    writeFileSync(`${this.dir}/strings/0x409/serialnumber`, id.serialNumber ?? '');
  }

  bind(): void {
    writeFileSync(`${this.dir}/UDC`, udcName());
  }

  unbind(): void {
    try {
      writeFileSync(`${this.dir}/UDC`, '\n');
    } catch {
      // Not bound (ENODEV): nothing to unplug.
    }
  }

  /** Unbind and take the gadget apart (configfs wants the reverse order of creation). */
  remove(): void {
    this.unbind();
    const rm = (p: string, link = false): void => {
      try {
        if (link) unlinkSync(p);
        else rmdirSync(p);
      } catch {
        // already gone
      }
    };
    rm(`${this.dir}/configs/c.1/${this.fn}`, true);
    rm(`${this.dir}/configs/c.1/strings/0x409`);
    rm(`${this.dir}/configs/c.1`);
    rm(`${this.dir}/functions/${this.fn}`);
    rm(`${this.dir}/strings/0x409`);
    rm(this.dir);
  }
}
