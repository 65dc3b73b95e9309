import { parseArgs } from 'node:util';
import type { ComposeOptions } from './compose-options.js';

export interface LaunchOptions {
  readonly dataDir: string | null;
  readonly rpcUrl: string | null;
  readonly contract: string | null;
  /** 'demo' (simulated adapter and meter), a serial number, vid:pid, or an OS serial port path. */
  readonly meter: string;
  readonly port: number;
  /** Demo mode: days of simulated history to create in an empty data folder. */
  readonly demoDays: number;
  readonly open: boolean;
  readonly help: boolean;
}

export const launchUsage = `Usage: npm start -- [options]

Starts Wattlet: the Electron app where its runtime is installed, otherwise the browser host
on 127.0.0.1. The browser host never prints its access token: it writes the address with the
token into a file only you can read, DATA-DIR/handoff/launch.html, prints where that file is and
opens it in your browser. A signature waiting for your approval arrives the same way, as
handoff/approval.html, printed and opened too (the main window can ask for it to be opened again).

Options:
  --data-dir DIR     where history, settings and logs live (default: your user data folder)
  --rpc-url URL      JSON-RPC endpoint of the ledger (default: demo mode's local chain)
  --contract ADDR    EnergyLedger contract address on that endpoint
  --meter WHICH      demo (simulated meter, the default), a USB serial number, vid:pid,
                     or an OS serial port such as /dev/ttyUSB0 or COM3
  --port N           browser host port on 127.0.0.1 (default: a free port)
  --demo-days N      demo mode: days of simulated history in a new data folder (default 60)
  --no-open          do not open the app in a browser at start (approval pages still open)
  -h, --help         show this help
`;

export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      'data-dir': { type: 'string' },
      'rpc-url': { type: 'string' },
      contract: { type: 'string' },
      meter: { type: 'string', default: 'demo' },
      port: { type: 'string', default: '0' },
      'demo-days': { type: 'string', default: '60' },
      'no-open': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`--port must be 0–65535, got ${values.port}`);
  const demoDays = Number(values['demo-days']);
  if (!Number.isInteger(demoDays) || demoDays < 0 || demoDays > 3660) throw new RangeError(`--demo-days must be 0–3660, got ${values['demo-days']}`);
  return {
    dataDir: values['data-dir'] ?? null,
    rpcUrl: values['rpc-url'] ?? null,
    contract: values.contract ?? null,
    meter: values.meter ?? 'demo',
    port,
    demoDays,
    open: !values['no-open'],
    help: values.help ?? false,
  };
}

/** What a launch asks of the composition root: both hosts start the app from it the same way. */
export function composeOptionsOf(options: LaunchOptions): Pick<ComposeOptions, 'meter' | 'demoDays' | 'settingsOverrides'> {
  return {
    meter: options.meter,
    demoDays: options.demoDays,
    settingsOverrides: {
      ...(options.rpcUrl ? { rpcUrl: options.rpcUrl } : {}),
      ...(options.contract ? { contractAddress: options.contract } : {}),
    },
  };
}
