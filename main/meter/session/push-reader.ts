import { WattletError } from '../../api/errors.js';
import { createDecoder, type DecoderOptions } from '../protocols/create-decoder.js';
import type { MeterProtocol } from '../reading.js';
import { sleep } from './clock.js';
import type { MeterReader, ReaderContext } from './meter-reader.js';

/**
 * DSMR P1 and SML push a frame every 1–10 s: listen, decode, and treat a silence longer than
 * `silenceMs` as a dead link (count a timeout and let the session reconnect).
 */
export class PushReader implements MeterReader {
  constructor(
    readonly protocol: MeterProtocol,
    readonly silenceMs: number,
    readonly decoderOptions: DecoderOptions = {},
  ) {}

  async run(ctx: ReaderContext): Promise<void> {
    let lastGood = ctx.clock.now();
    // A fresh decoder per connection: a frame torn by an unplug can never complete later.
    ctx.decode(
      (listener, counts) => createDecoder(this.protocol, listener, { ...this.decoderOptions, ...counts }),
      (e) => {
        if (e.kind === 'reading') {
          lastGood = ctx.clock.now();
          ctx.emitReading(e.reading);
        }
      },
    );
    for (;;) {
      await sleep(ctx.clock, this.silenceMs, ctx.signal);
      if (ctx.clock.now() - lastGood >= this.silenceMs) {
        ctx.countTimeout();
        throw new WattletError('METER_NO_ANSWER', `No valid ${this.protocol} frame for ${this.silenceMs} ms`, {
          protocol: this.protocol,
          silenceMs: this.silenceMs,
        });
      }
    }
  }
}
