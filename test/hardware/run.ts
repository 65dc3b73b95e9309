/**
 * Run the QEMU hardware scenarios by hand and print what happened:
 *   npx tsx test/hardware/run.ts [dsmr|iec|unplug]...      (default: all three)
 *   WATTLET_HW_MUTATE=divisor-clock npx tsx test/hardware/run.ts   (mutation check)
 */
import { rmSync } from 'node:fs';
import { probeQemu } from './harness/qemu.js';
import { dsmrScenario, iecScenario, prepareRig, unplugScenario, type ScenarioResult } from './harness/scenarios.js';

const probe = probeQemu();
if (!probe.ok) {
  console.error(`QEMU cannot start: ${probe.reason}`);
  process.exit(2);
}
const rig = await prepareRig();
console.log(`rig ready in ${rig.prepareMs} ms (kernel ${rig.kernel.version}, mutation ${rig.mutation ?? 'none'})`);
const wanted = process.argv.slice(2);
const all = { dsmr: dsmrScenario, iec: iecScenario, unplug: unplugScenario } as const;
for (const name of (wanted.length ? wanted : Object.keys(all)) as (keyof typeof all)[]) {
  const r: ScenarioResult = await all[name](rig);
  console.log(`\n=== ${name}: exit ${r.qemu.exitCode} in ${r.qemu.durationMs} ms (guest /init at ${r.qemu.bootMs} ms)${r.qemu.timedOut ? ' TIMED OUT' : ''}`);
  console.log(`chip setups (QEMU trace): ${JSON.stringify(r.chipSetups)}; plug-ins: ${r.connections}`);
  if (r.hostError) console.log(`host: ${r.hostError}`);
  for (const e of r.events) console.log(`  ${e.event === 'reading' ? `reading ${JSON.stringify((e.reading as { meterTime: unknown }).meterTime)}` : JSON.stringify(e)}`);
  for (const l of r.wireLog) console.log(`  wire ${l}`);
  if (process.env.WATTLET_HW_VERBOSE) console.log(r.qemu.console, r.qemu.stderr);
}
rmSync(rig.workDir, { recursive: true, force: true });
