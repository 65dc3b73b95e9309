import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { HARDWARE_DIR, REPO_ROOT } from './paths.js';

/**
 * A deliberate defect applied to the project's source while bundling, for the mutation check
 * (`WATTLET_HW_MUTATE=<name>`): proves the QEMU scenarios fail when the driver is wrong. Each
 * names the file it changes and an exact piece of its text; a mutation whose text is no longer
 * there fails the build rather than silently testing the unmutated code.
 */
export interface SourceMutation {
  readonly file: string;
  readonly find: string | RegExp;
  readonly replace: string;
  readonly why: string;
}

export const MUTATIONS: Record<string, SourceMutation> = {
  // The 3 MHz base clock mistaken for 6 MHz: every divisor doubles, the chip runs at half speed.
  // The project's simulated FTDI decodes divisors with the same file, so only QEMU can see it.
  'divisor-clock': {
    file: 'main/meter/usb/ftdi-baud.ts',
    find: 'const base8 = hi ? 96_000_000 : 24_000_000;',
    replace: 'const base8 = hi ? 96_000_000 : 48_000_000;',
    why: 'FTDI divisor computed from a 6 MHz clock instead of 3 MHz',
  },
  // The AN232B-05 sub-integer code table taken as plain eighths (9600 → wValue 0xC138, index 1).
  'divisor-fraction': {
    file: 'main/meter/usb/ftdi-baud.ts',
    find: 'const FRAC_CODE = [0, 3, 2, 4, 1, 5, 6, 7] as const;',
    replace: 'const FRAC_CODE = [0, 1, 2, 3, 4, 5, 6, 7] as const;',
    why: 'FTDI fractional divisor code sent as raw eighths',
  },
  // Status bytes stripped from the first 64-byte packet of a transfer only: the headers of the
  // following packets end up in the data (and QEMU returns up to 384 bytes per transfer).
  'status-first-packet-only': {
    file: 'main/meter/usb/ftdi.ts',
    find: 'for (let off = 0; off < transfer.length; off += this.packetSize) {',
    replace: 'for (let off = 0; off < transfer.length; off += transfer.length) {',
    why: 'FTDI status bytes stripped once per transfer instead of once per max-packet',
  },
  // Status bytes not stripped at all.
  'status-not-stripped': {
    file: 'main/meter/usb/ftdi.ts',
    find: 'out.set(transfer.subarray(off + 2, end), n);\n      n += end - off - 2;',
    replace: 'out.set(transfer.subarray(off, end), n);\n      n += end - off;',
    why: 'FTDI status bytes passed through as data',
  },
};

function mutationPlugin(m: SourceMutation): Plugin {
  const target = join(REPO_ROOT, m.file);
  return {
    name: 'wattlet-mutation',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path !== target) return undefined;
        const src = readFileSync(args.path, 'utf8');
        const hit = typeof m.find === 'string' ? src.includes(m.find) : m.find.test(src);
        if (!hit) throw new Error(`mutation text not found in ${m.file}: ${String(m.find)}`);
        return { contents: src.replace(m.find, m.replace), loader: 'ts' };
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
 * one ESM file for Node in the guest. `usb` stays external: the guest loads the real package
 * and its native addon from /app/node_modules, as the app does.
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
    external: ['usb'],
    sourcemap: 'inline',
    logLevel: 'error',
    // Bundled CommonJS dependencies (if any) call require(); give ESM output one.
    banner: { js: "import { createRequire as __wattletCreateRequire } from 'node:module'; const require = __wattletCreateRequire(import.meta.url);" },
    plugins: sel ? [mutationPlugin(sel.mutation)] : [],
  });
  return { mutation: sel?.name ?? null };
}
