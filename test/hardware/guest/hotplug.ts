import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { LINE_8N1_115200 } from '../../../main/meter/serial/line-settings.js';
import type { MeterSession } from '../../../main/meter/session/meter-session.js';
import { MeterDiscovery } from '../../../main/meter/usb/discovery.js';
import { NodeUsbBackend } from '../../../main/meter/usb/node-usb-backend.js';
import { reconnectOnAttach } from '../../../main/meter/usb/reconnect-on-attach.js';
import { UDEV_RULE_FILE } from '../../../main/meter/usb/udev-rule.js';
import { usbPortFor } from './adapter.js';
import { readText, run } from './linux.js';
import { HOTPLUG_BACKOFF_MS, UNPLUG_READINGS } from './plan.js';
import { emit } from './report.js';
import { runSession } from './session-run.js';

/** The person at the seat: not root, in no device group (see the guest's /etc/passwd). */
export const SEAT_USER = 1000;

/** Where the per-run archive puts the project's shipped rule (harness/family-run.ts). */
export const SHIPPED_RULE = `/app/udev/${UDEV_RULE_FILE}`;

/**
 * Root's part: start Debian's systemd-udevd with the stock rules and the project's shipped rule
 * installed as the README tells people to, then run the session as the seat user. There is no
 * systemd-logind in the guest; the state file logind publishes for a user logged in at seat0
 * (/run/systemd/seats/seat0, ACTIVE_UID) is written instead, which is what udev's `uaccess`
 * builtin reads to grant that user an ACL on the device node.
 */
export async function hotplugScenario(): Promise<boolean> {
  mkdirSync('/run/systemd/seats', { recursive: true });
  writeFileSync('/run/systemd/seats/seat0', `IS_SEAT0=1\nCAN_MULTI_SESSION=1\nACTIVE=c1\nACTIVE_UID=${SEAT_USER}\nSESSIONS=c1\nUIDS=${SEAT_USER}\n`);
  mkdirSync('/etc/udev/rules.d', { recursive: true });
  copyFileSync(SHIPPED_RULE, `/etc/udev/rules.d/${UDEV_RULE_FILE}`);
  await run('/usr/lib/systemd/systemd-udevd', ['--daemon']);
  await run('udevadm', ['trigger', '--action=add', '--subsystem-match=usb']);
  await run('udevadm', ['settle', '--timeout=60'], 70_000);
  emit({ event: 'kernel', what: 'udevd', detail: `systemd-udevd running with ${readdirSync('/usr/lib/udev/rules.d').join(' ')} and ${UDEV_RULE_FILE}` });
  const child = spawn(process.execPath, [process.argv[1]!, '--as-seat-user', 'hotplug'], {
    uid: SEAT_USER,
    gid: SEAT_USER,
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: '/tmp',
    env: { ...process.env, HOME: '/tmp' },
  });
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return code === 0;
}

/** The node of the FTDI's usbfs device, and who may use it by its mode bits alone. */
function ftdiNode(): { node: string; mode: string; owner: number } | null {
  for (const d of readdirSync('/sys/bus/usb/devices')) {
    if (readText(`/sys/bus/usb/devices/${d}/idVendor`) !== '0403') continue;
    const bus = Number(readText(`/sys/bus/usb/devices/${d}/busnum`));
    const dev = Number(readText(`/sys/bus/usb/devices/${d}/devnum`));
    const node = `/dev/bus/usb/${String(bus).padStart(3, '0')}/${String(dev).padStart(3, '0')}`;
    const st = statSync(node);
    return { node, mode: (st.mode & 0o777).toString(8).padStart(4, '0'), owner: st.uid };
  }
  return null;
}

/**
 * The seat user's part: the app's hot-plug wiring — the production backend listening to `usb`'s
 * events (polling practically off), discovery, a session whose own retry is ten minutes away,
 * and reconnectOnAttach, as main/compose/wire-meter.ts wires them. After the unplug only an
 * attach event can bring the session back within the scenario.
 */
export async function hotplugAsSeatUser(): Promise<boolean> {
  const backend = new NodeUsbBackend({ hotplug: 'events', pollMs: HOTPLUG_BACKOFF_MS, resyncMs: HOTPLUG_BACKOFF_MS });
  const discovery = new MeterDiscovery({ backend });
  const node = ftdiNode();
  emit({ event: 'access', uid: process.getuid?.() ?? -1, node: node?.node ?? '?', mode: node?.mode ?? '?', owner: node?.owner ?? -1, opened: false });
  discovery.onHotplug((e) => emit({ event: 'hotplug', kind: e.kind, vidPid: e.device.vidPid, at: Date.now() }));
  let off: (() => void) | null = null;
  let session: MeterSession | null = null;
  let listFailed = false;
  try {
    const { readings, losses } = await runSession({
      target: { protocol: 'dsmr', line: LINE_8N1_115200 },
      openPort: () => usbPortFor('ftdi', 2_000, backend),
      readings: UNPLUG_READINGS,
      quietMs: 45_000,
      backoff: { initialMs: HOTPLUG_BACKOFF_MS, maxMs: HOTPLUG_BACKOFF_MS },
      started: (s) => {
        session = s;
        off = reconnectOnAttach(discovery, s);
      },
      onOpen: (attempt) => {
        const n = ftdiNode();
        emit({ event: 'access', uid: process.getuid?.() ?? -1, node: n?.node ?? '?', mode: n?.mode ?? '?', owner: n?.owner ?? -1, opened: true });
        // What the app's USB page does while the meter is read: list the devices. Every listed
        // device includes the one whose transfer is pending right now.
        if (attempt === 1) {
          discovery.list().then(
            (ds) => emit({ event: 'log', message: `listed while reading: ${ds.map((d) => `${d.vidPid} ${d.family ?? '-'}`).join(', ')}` }),
            (e: unknown) => {
              listFailed = true;
              emit({ event: 'log', message: `listing while reading failed: ${e instanceof Error ? e.message : String(e)}` });
            },
          );
        }
      },
    });
    emit({ event: 'log', message: `hot-plug watched by ${backend.watching ?? 'nothing'}; session ${session ? 'ran' : 'absent'}` });
    return readings.length >= UNPLUG_READINGS && losses >= 1 && backend.watching === 'events' && !listFailed;
  } finally {
    (off as (() => void) | null)?.();
    await discovery.dispose();
    backend.dispose();
  }
}
