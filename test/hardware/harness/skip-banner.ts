import { probeQemu, type QemuProbe } from './qemu.js';

/**
 * Whether the QEMU suites run here. Only a QEMU that cannot start at all skips them — loudly —
 * and WATTLET_REQUIRE_QEMU=1 (CI) turns even that into a failure. Anything after the probe
 * (kernel download, boot, the code under test) fails the tests when it fails.
 */
export function qemuGate(suite: string): { probe: QemuProbe; skip: boolean } {
  const probe = probeQemu();
  const requireQemu = process.env.WATTLET_REQUIRE_QEMU === '1';
  const skip = !probe.ok && !requireQemu;
  if (skip) {
    const bar = '!'.repeat(100);
    console.error(
      `\n${bar}\n!!! SKIPPED: test/hardware (${suite}) — QEMU cannot start on this machine.\n` +
        `!!! ${probe.reason}\n!!! Install qemu-system-x86 (Debian) or set WATTLET_QEMU; WATTLET_REQUIRE_QEMU=1 makes this a failure.\n${bar}\n`,
    );
  }
  return { probe, skip };
}
