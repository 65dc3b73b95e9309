import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { emit } from './report.js';

/** Run a program of the guest (busybox applets, udevadm) and return its stdout; reject on failure. */
export function run(cmd: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (e, stdout, stderr) => {
      if (e) reject(new Error(`${cmd} ${args.join(' ')}: ${e.message.trim()} ${stderr.trim()}`.trim()));
      else resolve(stdout);
    });
  });
}

/** Load one of the kernel modules the initramfs carries (harness/kernel.ts), once. */
export async function insmod(name: string, params: readonly string[] = []): Promise<void> {
  if (existsSync(`/sys/module/${name.replace(/-/g, '_')}`)) return;
  await run('insmod', [`/lib/modules/${name}.ko`, ...params]);
  emit({ event: 'kernel', what: 'insmod', detail: [name, ...params].join(' ') });
}

export async function waitFor<T>(what: string, probe: () => T | null | undefined | false, ms: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function waitForPath(path: string, ms: number): Promise<string> {
  return waitFor(path, () => (existsSync(path) ? path : null), ms);
}

export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The kernel driver bound to a tty's device (ftdi_sio, cdc_acm, ch341-uart …), from sysfs. */
export function ttyDriver(tty: string): string | null {
  return /DRIVER=(\S+)/.exec(readText(`/sys/class/tty/${tty}/device/uevent`) ?? '')?.[1] ?? null;
}
