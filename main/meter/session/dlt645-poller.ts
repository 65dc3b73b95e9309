import { WattletError } from '../../api/errors.js';
import type { DecodeEvent } from '../protocols/decoder.js';
import { DI_DATE, DI_TIME } from '../protocols/dlt645/dlt645-data.js';
import { Dlt645Decoder } from '../protocols/dlt645/dlt645-decoder.js';
import { dltReadAddressRequest, dltReadRequest } from '../protocols/dlt645/dlt645-frame.js';
import { chinaToUtc } from '../protocols/meter-time.js';
import type { Quantity } from '../reading.js';
import { sleep } from './clock.js';
import { EventWaiter } from './event-waiter.js';
import type { MeterReader, ReaderContext } from './meter-reader.js';

/** What one poll cycle reads: energy blocks, power, voltage, current, then the meter clock. */
export const DLT645_POLL_IDS = [0x0001ff00, 0x0002ff00, 0x02030000, 0x02010100, 0x02020100];

const isAnswer = (e: DecodeEvent) =>
  e.kind === 'reading' ||
  (e.kind === 'frame' && (e.what === 'dlt645.reply' || e.what === 'dlt645.address')) ||
  (e.kind === 'error' && (e.code === 'METER_DLT645_EXCEPTION' || e.code === 'METER_CHECKSUM'));

/**
 * DL/T 645-2007 master: discover the address by broadcast read-address (§7.3, one meter on the
 * bus), then per cycle read each identifier and merge the replies into one reading.
 */
export class Dlt645Poller implements MeterReader {
  constructor(
    readonly pollMs: number,
    readonly options: { address?: string; answerTimeoutMs?: number } = {},
  ) {}

  async run(ctx: ReaderContext): Promise<void> {
    const waiter = new EventWaiter(ctx.clock);
    ctx.decode((listener, counts) => new Dlt645Decoder(listener, counts), (e) => waiter.feed(e));
    const timeout = this.options.answerTimeoutMs ?? 1500;
    const ask = async (bytes: Uint8Array): Promise<DecodeEvent | null> => {
      await ctx.port.write(bytes);
      const e = await waiter.wait(isAnswer, timeout, ctx.signal);
      if (!e) ctx.countTimeout();
      return e;
    };
    let silent = 0;
    try {
      let address = this.options.address;
      while (!address) {
        const e = await ask(dltReadAddressRequest());
        if (e?.kind === 'frame' && e.what === 'dlt645.address') address = String(e.facts.address);
        else if (++silent >= 3) throw new WattletError('METER_NO_ANSWER', 'No DL/T 645 meter answered the broadcast address read', {});
      }
      for (;;) {
        const quantities: Quantity[] = [];
        let date = '';
        let time = '';
        let answered = 0;
        let receivedAt = 0;
        for (const di of [...DLT645_POLL_IDS, DI_DATE, DI_TIME]) {
          const e = await ask(dltReadRequest(address, di));
          if (!e) continue;
          answered++;
          if (e.kind === 'reading') {
            quantities.push(...e.reading.quantities);
            receivedAt = e.reading.receivedAt;
          } else if (e.kind === 'frame') {
            if (typeof e.facts.date === 'string') date = e.facts.date;
            if (typeof e.facts.time === 'string') time = e.facts.time;
          }
        }
        if (answered === 0) {
          if (++silent >= 3) throw new WattletError('METER_NO_ANSWER', 'The DL/T 645 meter stopped answering', { address });
        } else silent = 0;
        if (quantities.length) {
          const [y, mo, d] = date.split('-').map(Number);
          const [h, mi, s] = time.split(':').map(Number);
          const meterTime = date && time ? chinaToUtc(y!, mo!, d!, h!, mi!, s!) : null;
          ctx.emitReading({ meterId: address, protocol: 'dlt645', meterTime, receivedAt, quantities, raw: [] });
        }
        await sleep(ctx.clock, this.pollMs, ctx.signal);
      }
    } finally {
      waiter.clear();
    }
  }
}
