import { backend, errorFacts } from './adapter.js';
import { ControlChannel } from './control.js';
import { ftdiFamily } from './ftdi-family.js';
import { gadgetFamily } from './gadget-family.js';
import { runChipResponder } from './gadget/chip-responder.js';
import { isChipName } from './gadget/chips.js';
import { hotplugAsSeatUser } from './hotplug.js';
import { isFamily } from './plan.js';
import { emit } from './report.js';
import type { Scenario } from './scenario.js';

/**
 * The program the QEMU guest runs (bundled by harness/guest-bundle.ts with the project's own
 * main/meter code; `usb` and `serialport` are the real packages). As root it runs one family's
 * scenarios in order, each when the host says go. It also serves as two helpers it spawns:
 *   --responder <chip> <ffs dir>   a simulated chip behind FunctionFS (gadget family)
 *   --as-seat-user hotplug         the hot-plug session, as uid 1000 (FTDI family)
 */
async function runFamily(family: string): Promise<boolean> {
  if (!isFamily(family)) throw new Error(`unknown family "${family}"`);
  const scenarios: Scenario[] = family === 'ftdi' ? ftdiFamily() : gadgetFamily();
  emit({ event: 'started', family, node: process.version, scenarios: scenarios.map((s) => s.name) });
  const control = new ControlChannel();
  let all = true;
  for (const s of scenarios) {
    emit({ event: 'scenario', name: s.name, phase: 'ready' });
    if (!(await control.next(s.name))) continue;
    emit({ event: 'scenario', name: s.name, phase: 'start' });
    let ok = false;
    let message: string | undefined;
    try {
      ok = await s.run();
    } catch (e) {
      const f = errorFacts(e);
      message = `${f.code}: ${f.message}${e instanceof Error && !('code' in e) ? ` ${e.stack ?? ''}` : ''}`;
    }
    all &&= ok;
    emit({ event: 'scenario', name: s.name, phase: 'end', ok, message });
  }
  return all;
}

const [mode, arg1, arg2] = process.argv.slice(2);
let ok = false;
try {
  if (mode === '--responder') {
    if (!arg1 || !isChipName(arg1) || !arg2) throw new Error(`--responder needs a chip and a FunctionFS folder, got ${arg1} ${arg2}`);
    await runChipResponder(arg1, arg2);
  } else if (mode === '--as-seat-user') {
    ok = await hotplugAsSeatUser();
  } else {
    ok = await runFamily(mode ?? '');
    emit({ event: 'done', ok });
  }
} catch (e) {
  const f = errorFacts(e);
  const stack = e instanceof Error && !('code' in e) ? ` ${e.stack ?? ''}` : '';
  const message = `${f.code}: ${f.message}${stack}`;
  // A helper's failure is its parent's to report; the family's ends the run.
  if (mode?.startsWith('--')) emit({ event: 'log', message });
  else emit({ event: 'done', ok: false, message });
} finally {
  backend.dispose();
}
// The control channel's read of ttyS1 never ends on its own.
process.exit(ok ? 0 : 1);
