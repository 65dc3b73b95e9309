import { probeQemu, type QemuProbe } from './qemu.js';

/**
 * Whether the QEMU suites run here. They skip only when the person says so
 * (WATTLET_SKIP_QEMU=1), with a banner; otherwise they run, and a QEMU that cannot start is a
 * failure naming the reason and the package (the suites' beforeAll asserts the probe). Anything
 * after the probe (kernel download, boot, the code under test) fails the tests when it fails.
 * WATTLET_REQUIRE_QEMU=1, which CI used to set, is now the only behaviour and needs no flag.
 */
export function qemuGate(suite: string): { probe: QemuProbe; skip: boolean } {
  const skip = process.env.WATTLET_SKIP_QEMU === '1';
  if (skip) {
    const bar = '!'.repeat(100);
    console.error(
      `\n${bar}\n!!! SKIPPED: test/hardware (${suite}) — WATTLET_SKIP_QEMU=1 was set.\n` +
        `!!! Unset it to run these tests (they need qemu-system-x86, busybox-static and cpio); CI runs them.\n${bar}\n`,
    );
    return { probe: { ok: false, reason: 'skipped by WATTLET_SKIP_QEMU=1' }, skip };
  }
  return { probe: probeQemu(), skip };
}
