import { WattletError } from '../../api/errors.js';
import { Iec62056Decoder } from '../protocols/iec62056-21/iec-decoder.js';
import { BAUD_CHARS, optionSelect, signOn } from '../protocols/iec62056-21/iec-messages.js';
import { LINE_7E1_300 } from '../serial/line-settings.js';
import { sleep } from './clock.js';
import { EventWaiter } from './event-waiter.js';
import type { MeterReader, ReaderContext } from './meter-reader.js';

/**
 * IEC 62056-21 mode C readout cycle (§6.3.3): sign-on at 300 7E1, read the identification,
 * option-select the offered speed, switch our side, take the data block, fall back to 300.
 */
export class Iec62056Poller implements MeterReader {
  constructor(
    readonly pollMs: number,
    readonly options: { address?: string; maxBaud?: number; answerTimeoutMs?: number } = {},
  ) {}

  async run(ctx: ReaderContext): Promise<void> {
    const waiter = new EventWaiter(ctx.clock);
    const timeout = this.options.answerTimeoutMs ?? 3000;
    let silent = 0;
    try {
      for (;;) {
        await ctx.port.setLineSettings(LINE_7E1_300);
        // Each readout is a new conversation: nothing half-read before the sign-on may complete.
        ctx.decode((listener, counts) => new Iec62056Decoder(listener, counts), (e) => waiter.feed(e));
        await ctx.port.write(signOn(this.options.address ?? ''));
        const ident = await waiter.wait((e) => e.kind === 'frame' && e.what === 'iec.identification', timeout, ctx.signal);
        let ok = false;
        if (ident && ident.kind === 'frame') {
          let z = String(ident.facts.baudChar);
          if (!(z in BAUD_CHARS)) z = '0';
          if (this.options.maxBaud && BAUD_CHARS[z]! > this.options.maxBaud) z = '0';
          const select = optionSelect(z, '0');
          await ctx.port.write(select);
          // write() resolves when the adapter has the bytes, not when they left the wire: at 300
          // baud 7E1 (10 bits a character) the option select takes ~200 ms, and switching speed
          // earlier would garble its tail on a real chip (QEMU has no bit timing to show this).
          await sleep(ctx.clock, Math.ceil((select.length * 10 * 1000) / LINE_7E1_300.baudRate) + 20, ctx.signal);
          // Wait for the block before switching: the meter may answer as soon as the chip runs at
          // the new speed, before our request to switch has returned (seen under QEMU, loaded host).
          const answer = waiter.wait((e) => e.kind === 'reading' || (e.kind === 'error' && e.code === 'METER_CHECKSUM'), timeout * 3, ctx.signal);
          answer.catch(() => undefined); // an abort during the switch is handled where it is awaited
          await ctx.port.setLineSettings({ ...LINE_7E1_300, baudRate: BAUD_CHARS[z]! });
          const block = await answer;
          if (block?.kind === 'reading') {
            ctx.emitReading(block.reading);
            ok = true;
          }
        }
        if (!ok) {
          ctx.countTimeout();
          if (++silent >= 3) throw new WattletError('METER_NO_ANSWER', 'The IEC 62056-21 meter stopped answering', { attempts: silent });
        } else silent = 0;
        await sleep(ctx.clock, this.pollMs, ctx.signal);
      }
    } finally {
      waiter.clear();
    }
  }
}
