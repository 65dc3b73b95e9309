import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { HARDWARE_DIR, REPO_ROOT } from './paths.js';

/**
 * A deliberate defect applied to the project's source while bundling, or to a shipped resource
 * while staging it, for the mutation check (`WATTLET_HW_MUTATE=<name>`): proves the QEMU
 * scenarios fail when the code is wrong. Each names the file it changes and an exact piece of its
 * text; a mutation whose text is no longer there fails the build rather than silently testing
 * the unmutated code. `fails` names the scenarios it must break (README: Mutation check).
 */
export interface SourceMutation {
  readonly file: string;
  readonly find: string | RegExp;
  readonly replace: string;
  readonly why: string;
  readonly fails: readonly string[];
}

export const MUTATIONS: Record<string, SourceMutation> = {
  // The 3 MHz base clock mistaken for 6 MHz: every divisor doubles, the chip runs at half speed.
  // The project's simulated FTDI decodes divisors with the same file, so only QEMU can see it.
  'divisor-clock': {
    file: 'main/meter/usb/ftdi-baud.ts',
    find: 'const base8 = hi ? 96_000_000 : 24_000_000;',
    replace: 'const base8 = hi ? 96_000_000 : 48_000_000;',
    why: 'FTDI divisor computed from a 6 MHz clock instead of 3 MHz',
    fails: ['dsmr', 'iec', 'unplug', 'hotplug'],
  },
  // The AN232B-05 sub-integer code table taken as plain eighths (9600 → wValue 0xC138, index 1).
  'divisor-fraction': {
    file: 'main/meter/usb/ftdi-baud.ts',
    find: 'const FRAC_CODE = [0, 3, 2, 4, 1, 5, 6, 7] as const;',
    replace: 'const FRAC_CODE = [0, 1, 2, 3, 4, 5, 6, 7] as const;',
    why: 'FTDI fractional divisor code sent as raw eighths',
    fails: ['iec'],
  },
  // Status bytes stripped from the first 64-byte packet of a transfer only: the headers of the
  // following packets end up in the data (and QEMU returns up to 384 bytes per transfer).
  'status-first-packet-only': {
    file: 'main/meter/usb/ftdi.ts',
    find: 'for (let off = 0; off < transfer.length; off += this.packetSize) {',
    replace: 'for (let off = 0; off < transfer.length; off += transfer.length) {',
    why: 'FTDI status bytes stripped once per transfer instead of once per max-packet',
    fails: ['dsmr', 'unplug', 'hotplug'],
  },
  // Status bytes not stripped at all.
  'status-not-stripped': {
    file: 'main/meter/usb/ftdi.ts',
    find: 'out.set(transfer.subarray(off + 2, end), n);\n      n += end - off - 2;',
    replace: 'out.set(transfer.subarray(off, end), n);\n      n += end - off;',
    why: 'FTDI status bytes passed through as data',
    fails: ['dsmr', 'unplug', 'hotplug'],
  },
  // The OS path drops the parity when it opens the port: 7N1 instead of 7E1.
  'os-serial-parity': {
    file: 'main/meter/serial/os-serial.ts',
    find: 'parity: settings.parity,',
    replace: "parity: 'none',",
    why: 'serialport opened without the parity asked for',
    fails: ['os-iec', 'acm-os-iec'],
  },
  // The backend ignores `usb`'s hot-plug events and polls (here every ten minutes).
  'hotplug-polling': {
    file: 'main/meter/usb/node-usb-backend.ts',
    find: "if (this.#hotplug === 'events') return true;",
    replace: "if (this.#hotplug === 'events') return false;",
    why: 'hot-plug by polling only: the attach event never reaches the session',
    fails: ['hotplug'],
  },
  // The shipped udev rule as it was: TAG+="uaccess" in a file sorted after 73-seat-late.rules,
  // which is where udev turns the tag into an ACL — so no ACL, and no access for the user.
  'udev-rule-late-uaccess': {
    file: 'resources/udev/99-wattlet.rules',
    find: /, RUN\{builtin\}\+="uaccess"/g,
    replace: '',
    why: 'uaccess tag set after 73-seat-late.rules without running the uaccess builtin itself',
    fails: ['hotplug'],
  },
  // CDC class requests addressed to the data interface instead of the control interface.
  'cdc-wrong-interface': {
    file: 'main/meter/usb/cdc-acm.ts',
    find: "request, value, index: this.controlInterface }",
    replace: "request, value, index: this.dataInterface }",
    why: 'CDC-ACM SET_LINE_CODING sent to the data interface',
    fails: ['acm-dsmr', 'acm-iec'],
  },
  // The CH34x prescaler taken as ÷4 per step instead of ÷8 (driver and simulator share it).
  'ch34x-prescaler': {
    file: 'main/meter/usb/ch34x-baud.ts',
    find: 'const PRESCALER_STEP = 8;',
    replace: 'const PRESCALER_STEP = 4;',
    why: 'CH34x prescaler steps of ÷4 instead of ÷8',
    fails: ['chip-ch34x'],
  },
  // CP210x SET_BAUDRATE (0x1E) confused with IFC_SET_BAUDDIV (0x01), in driver and simulator alike.
  'cp210x-baud-as-bauddiv': {
    file: 'main/meter/usb/cp210x.ts',
    find: 'SET_BAUDRATE: 0x1e,',
    replace: 'SET_BAUDRATE: 0x01,',
    why: 'CP210x baud rate sent as IFC_SET_BAUDDIV (0x01) instead of SET_BAUDRATE (0x1E)',
    fails: ['chip-cp210x'],
  },
  // The line coding's rate big-endian, in encoder and decoder alike (PL2303 and CDC-ACM share it).
  'line-coding-byte-order': {
    file: 'main/meter/usb/line-coding.ts',
    find: /(setUint32\(0, rateField >>> 0, |getUint32\(0, )true\)/g,
    replace: '$1false)',
    why: 'line coding rate sent and decoded big-endian',
    fails: ['chip-pl2303-ta', 'chip-pl2303-g', 'acm-dsmr', 'acm-iec'],
  },
};

/** The text of a repository file with `m` applied (throws if the mutation's text is not there). */
export function applyMutation(m: SourceMutation, src: string): string {
  const hit = typeof m.find === 'string' ? src.includes(m.find) : new RegExp(m.find.source, m.find.flags.replace('g', '')).test(src);
  if (!hit) throw new Error(`mutation text not found in ${m.file}: ${String(m.find)}`);
  return src.replace(m.find, m.replace);
}

/** A shipped resource as staged into the guest, mutated if the selected mutation is about it. */
export function stagedResource(file: string): string {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const sel = selectedMutation();
  return sel && sel.mutation.file === file ? applyMutation(sel.mutation, text) : text;
}

function mutationPlugin(m: SourceMutation): Plugin {
  const target = join(REPO_ROOT, m.file);
  return {
    name: 'wattlet-mutation',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path !== target) return undefined;
        return { contents: applyMutation(m, readFileSync(args.path, 'utf8')), loader: 'ts' };
      });
    },
  };
}

export function selectedMutation(): { name: string; mutation: SourceMutation } | null {
  const name = process.env.WATTLET_HW_MUTATE;
  if (!name) return null;
  const mutation = MUTATIONS[name];
  if (!mutation) throw new Error(`WATTLET_HW_MUTATE=${name}: unknown; known: ${Object.keys(MUTATIONS).join(', ')}`);
  return { name, mutation };
}

/**
 * Bundle test/hardware/guest/main.ts — which imports the project's own main/meter code — into
 * one ESM file for Node in the guest. `usb` and `serialport` stay external: the guest loads the
 * real packages and their native addons from /app/node_modules, as the app does.
 */
export async function bundleGuest(outFile: string): Promise<{ mutation: string | null }> {
  const sel = selectedMutation();
  await build({
    entryPoints: [join(HARDWARE_DIR, 'guest', 'main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['usb', 'serialport'],
    sourcemap: 'inline',
    logLevel: 'error',
    // Bundled CommonJS dependencies (if any) call require(); give ESM output one.
    banner: { js: "import { createRequire as __wattletCreateRequire } from 'node:module'; const require = __wattletCreateRequire(import.meta.url);" },
    plugins: sel && sel.mutation.file.endsWith('.ts') ? [mutationPlugin(sel.mutation)] : [],
  });
  return { mutation: sel?.name ?? null };
}
