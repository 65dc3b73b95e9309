import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireSystemTools } from '../../../support/system-tools.js';

/**
 * A private D-Bus session with its own gnome-keyring (the real Secret Service), so keychain tests
 * neither depend on nor touch the keyring of whoever runs them. `unlocked: false` leaves the
 * login collection locked with no prompter: the "locked keyring" case.
 *
 * Call start() before the first keytar call of the test process: libsecret binds to the bus it
 * first sees (vitest runs each test file in its own process, so one file = one keyring).
 */
export interface PrivateKeyring {
  readonly busAddress: string;
  readonly home: string;
  stop(): void;
}

export async function startPrivateKeyring(options: { unlocked: boolean }): Promise<PrivateKeyring> {
  requireSystemTools('dbus-daemon', 'dbus-send', 'gnome-keyring-daemon');
  const home = mkdtempSync(join(tmpdir(), 'wattlet-keyring-'));
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const busAddress = await firstLine(bus);
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_RUNTIME_DIR: home,
    DBUS_SESSION_BUS_ADDRESS: busAddress,
  };
  const startKeyring = async (unlock: boolean): Promise<ChildProcess> => {
    const args = ['--foreground', '--components=secrets', ...(unlock ? ['--unlock'] : [])];
    const child = spawn('gnome-keyring-daemon', args, { env, stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin?.end(unlock ? 'wattlet' : '');
    await waitForName(busAddress, 'org.freedesktop.secrets', true);
    return child;
  };
  let keyring = await startKeyring(true);
  if (!options.unlocked) {
    // A locked keyring is an existing login keyring that nobody unlocked: create it, restart locked.
    await store(busAddress, keyring);
    keyring.kill('SIGTERM');
    await waitForName(busAddress, 'org.freedesktop.secrets', false);
    keyring = await startKeyring(false);
  }
  process.env.DBUS_SESSION_BUS_ADDRESS = busAddress;
  return {
    busAddress,
    home,
    stop() {
      keyring.kill('SIGTERM');
      bus.kill('SIGTERM');
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (b: Buffer) => {
      text += b.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) resolve(text.slice(0, nl).trim());
    });
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
}

/** Writes one item so the login collection exists on disk (gnome-keyring creates it lazily). */
async function store(address: string, keyring: ChildProcess): Promise<void> {
  const r = spawnSync(
    process.execPath,
    ['-e', "require('keytar').setPassword('WattletTestSetup','setup','x').then(()=>process.exit(0),(e)=>{console.error(e.message);process.exit(1)})"],
    { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address }, encoding: 'utf8' },
  );
  if (r.status !== 0) {
    keyring.kill();
    throw new Error(`could not create the login keyring: ${r.stderr}`);
  }
}

async function waitForName(address: string, name: string, present: boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync(
      'dbus-send',
      ['--bus=' + address, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
      { encoding: 'utf8' },
    );
    if (r.stdout.includes('boolean true') === present) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`${name} did not ${present ? 'appear on' : 'leave'} the private bus`);
}
