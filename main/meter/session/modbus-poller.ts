import { WattletError } from '../../api/errors.js';
import type { DecodeEvent } from '../protocols/decoder.js';
import { ModbusDecoder } from '../protocols/modbus/modbus-decoder.js';
import { readInputRequest } from '../protocols/modbus/modbus-rtu.js';
import type { Quantity } from '../reading.js';
import { sleep } from './clock.js';
import { EventWaiter } from './event-waiter.js';
import type { MeterReader, ReaderContext } from './meter-reader.js';

/** Register blocks read per cycle: V/I/P of phase 1 (0x0000–0x000D), then Hz and energy (0x0046–0x004B). */
export const SDM_POLL_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 14],
  [0x0046, 6],
];

const isAnswer = (e: DecodeEvent) => e.kind === 'reading' || (e.kind === 'error' && e.code === 'METER_MODBUS_EXCEPTION');

/** Modbus RTU master for an Eastron SDM meter: read input register blocks, merge, emit. */
export class ModbusPoller implements MeterReader {
  constructor(
    readonly pollMs: number,
    readonly options: { slave?: number; answerTimeoutMs?: number } = {},
  ) {}

  async run(ctx: ReaderContext): Promise<void> {
    const slave = this.options.slave ?? 1;
    const waiter = new EventWaiter(ctx.clock);
    const decoder = ctx.decode((listener, counts) => new ModbusDecoder(listener, counts), (e) => waiter.feed(e));
    const timeout = this.options.answerTimeoutMs ?? 1000;
    let silent = 0;
    try {
      for (;;) {
        const quantities: Quantity[] = [];
        let receivedAt = 0;
        for (const [start, count] of SDM_POLL_BLOCKS) {
          decoder.expect(start);
          await ctx.port.write(readInputRequest(slave, start, count));
          const e = await waiter.wait(isAnswer, timeout, ctx.signal);
          if (!e) ctx.countTimeout();
          else if (e.kind === 'reading') {
            quantities.push(...e.reading.quantities);
            receivedAt = e.reading.receivedAt;
          }
        }
        if (!quantities.length) {
          if (++silent >= 3) throw new WattletError('METER_NO_ANSWER', `Modbus slave ${slave} stopped answering`, { slave });
        } else {
          silent = 0;
          ctx.emitReading({ meterId: `modbus:${slave}`, protocol: 'modbus', meterTime: null, receivedAt, quantities, raw: [] });
        }
        await sleep(ctx.clock, this.pollMs, ctx.signal);
      }
    } finally {
      waiter.clear();
    }
  }
}
