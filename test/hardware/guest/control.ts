import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { emit } from './report.js';

/**
 * The host's commands, on the guest's second serial port (QEMU joins it to the host's control
 * socket): "go <scenario>" or "skip <scenario>". The host sends one when the scenario's meter is
 * attached on its side, so the guest never talks to the previous scenario's meter. The first
 * bytes the emulated UART receives after boot can be lost (seen here: three), so the host sends
 * a line of padding first, may repeat itself, and a command is recognised at a line's end.
 */
export class ControlChannel {
  readonly #lines: string[] = [];
  #waiter: (() => void) | null = null;

  constructor(device = '/dev/ttyS1') {
    // Read by a `cat` child, not by this process: a read of a tty blocks one of libuv's threads,
    // and Node's exit waits for its threads — the guest would never power off.
    const reader = spawn('cat', [device], { stdio: ['ignore', 'pipe', 'inherit'] });
    reader.on('error', (e) => emit({ event: 'log', message: `control channel ${device}: ${e.message}` }));
    reader.unref();
    createInterface({ input: reader.stdout }).on('line', (line) => {
      const m = /\b(go|skip) (\S+)\s*$/.exec(line);
      if (m) this.#lines.push(`${m[1]} ${m[2]}`);
      this.#waiter?.();
    });
  }

  /** True for go, false for skip. */
  async next(scenario: string): Promise<boolean> {
    for (;;) {
      const i = this.#lines.findIndex((l) => l === `go ${scenario}` || l === `skip ${scenario}`);
      if (i >= 0) return this.#lines.splice(i, 1)[0]!.startsWith('go ');
      await new Promise<void>((r) => (this.#waiter = r));
      this.#waiter = null;
    }
  }
}
