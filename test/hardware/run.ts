/**
 * Run the QEMU hardware scenarios by hand and print what happened:
 *   npx tsx test/hardware/run.ts ftdi|gadget [scenario...]     (default: every scenario of the family)
 *   WATTLET_HW_MUTATE=divisor-clock npx tsx test/hardware/run.ts ftdi   (mutation check)
 */
import { rmSync } from 'node:fs';
import type { Reading } from '../../main/meter/reading.js';
import { runFamily, type ScenarioPlan } from './harness/family-run.js';
import { ftdiPlans } from './harness/ftdi-plans.js';
import { gadgetPlans } from './harness/gadget-plans.js';
import { probeQemu } from './harness/qemu.js';
import { prepareRig } from './harness/rig.js';
import { isFamily } from './guest/plan.js';

const [family, ...only] = process.argv.slice(2);
if (!family || !isFamily(family)) {
  console.error('usage: run.ts ftdi|gadget [scenario...]');
  process.exit(2);
}
const probe = probeQemu();
if (!probe.ok) {
  console.error(`QEMU cannot start: ${probe.reason}`);
  process.exit(2);
}
const rig = await prepareRig();
console.log(`rig ready in ${rig.prepareMs} ms (kernel ${rig.kernel.version}, mutation ${rig.mutation ?? 'none'})`);
const plans: ScenarioPlan[] = family === 'ftdi' ? ftdiPlans().plans : gadgetPlans();
const t0 = Date.now();
const run = await runFamily(rig, family, plans, {
  ...(only.length ? { only } : {}),
  onEvent: (e) => {
    if (process.env.WATTLET_HW_LIVE || e.event === 'scenario' || e.event === 'done' || e.event === 'started') console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${JSON.stringify(e).slice(0, 600)}`);
  },
});
console.log(`\n=== ${family}: QEMU exit ${run.qemu.exitCode} in ${run.qemu.durationMs} ms (guest /init at ${run.qemu.bootMs} ms)${run.qemu.timedOut ? ' TIMED OUT' : ''}; plug-ins ${run.connections}; host ${run.hostError ?? 'ok'}`);
for (const r of Object.values(run.scenarios)) {
  console.log(`\n--- ${r.name}: ${r.ok === true ? 'ok' : r.ok === false ? 'FAILED' : 'NOT ENDED'} in ${r.durationMs} ms${r.message ? ` (${r.message.slice(0, 400)})` : ''}${r.hostError ? `; host: ${r.hostError}` : ''}`);
  if (family === 'ftdi') console.log(`QEMU trace: setups ${JSON.stringify(r.chipSetups)}, states ${JSON.stringify(r.chipStates)}`);
  for (const e of r.events) {
    if (e.event === 'reading') console.log(`  reading ${JSON.stringify((e.reading as Reading).meterTime)}`);
    else if (e.event === 'meter-sent' || e.event === 'meter-heard') console.log(`  ${e.event} ${e.line} ${Buffer.from(e.bytes, 'base64').length} B`);
    else console.log(`  ${JSON.stringify(e).slice(0, 400)}`);
  }
  for (const l of r.wireLog) console.log(`  wire ${l}`);
}
if (process.env.WATTLET_HW_VERBOSE) console.log(run.qemu.console, run.qemu.stderr);
else console.log(`\n--- console tail ---\n${run.qemu.console.split('\n').filter((l) => !l.includes('WATTLET-JSON')).slice(-25).join('\n')}`);
rmSync(rig.workDir, { recursive: true, force: true });
