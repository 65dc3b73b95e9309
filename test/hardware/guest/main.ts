import { dsmrReadout } from './dsmr-readout.js';
import { iecReadout } from './iec-readout.js';
import { backend, errorFacts } from './adapter.js';
import { emit } from './report.js';
import { unplugReplug } from './unplug-replug.js';

/**
 * The program the QEMU guest runs (bundled by harness/guest-bundle.ts with the project's own
 * main/meter code; `usb` is the real package). Scenario from the kernel command line.
 */
const scenarios: Record<string, () => Promise<boolean>> = {
  dsmr: dsmrReadout,
  iec: iecReadout,
  unplug: unplugReplug,
};

const name = process.argv[2] ?? '';
emit({ event: 'started', scenario: name, node: process.version });
let ok = false;
try {
  const run = scenarios[name];
  if (!run) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(scenarios).join(', ')}`);
  ok = await run();
  emit({ event: 'done', ok });
} catch (e) {
  const f = errorFacts(e);
  const stack = e instanceof Error && !('code' in e) ? ` ${e.stack ?? ''}` : '';
  emit({ event: 'done', ok: false, message: `${f.code}: ${f.message}${stack}` });
} finally {
  backend.dispose();
}
process.exitCode = ok ? 0 : 1;
