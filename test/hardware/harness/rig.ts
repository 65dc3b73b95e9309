import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UDEV_RULE_FILE } from '../../../main/meter/usb/udev-rule.js';
import { bundleGuest, stagedResource } from './guest-bundle.js';
import { buildInitramfs, ensureBaseInitramfs } from './initramfs.js';
import { ensureKernel, type GuestKernel } from './kernel.js';

export interface HardwareRig {
  readonly kernel: GuestKernel;
  readonly initrd: string;
  readonly workDir: string;
  /** WATTLET_HW_MUTATE in effect, if any (mutation check). */
  readonly mutation: string | null;
  readonly prepareMs: number;
}

/**
 * Kernel (cached), base initramfs (cached), and a fresh per-run archive: the guest bundle of the
 * project's code and the project's shipped udev rule (both with the mutation, if one is chosen).
 */
export async function prepareRig(): Promise<HardwareRig> {
  const started = Date.now();
  const kernel = ensureKernel();
  const base = ensureBaseInitramfs(kernel);
  // Unix socket paths are limited to 108 bytes: keep the run directory short.
  const workDir = mkdtempSync(join(tmpdir(), 'wattlet-hw-'));
  const bundle = join(workDir, 'guest.mjs');
  const { mutation } = await bundleGuest(bundle);
  const initrd = buildInitramfs(base, bundle, workDir, {
    [`app/udev/${UDEV_RULE_FILE}`]: stagedResource(`resources/udev/${UDEV_RULE_FILE}`),
  });
  return { kernel, initrd, workDir, mutation, prepareMs: Date.now() - started };
}
