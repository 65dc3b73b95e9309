import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../../main/meter/protocols/create-decoder.js';
import { encodeBcd } from '../../../../main/meter/protocols/dlt645/dlt645-data.js';
import { encodeDltFrame } from '../../../../main/meter/protocols/dlt645/dlt645-frame.js';
import { dataBlock } from '../../../../main/meter/protocols/iec62056-21/iec-messages.js';
import { readInputRequest, readInputResponse } from '../../../../main/meter/protocols/modbus/modbus-rtu.js';
import { float32Registers } from '../../../../main/meter/protocols/modbus/sdm-registers.js';
import type { MeterProtocol, Reading } from '../../../../main/meter/reading.js';
import { ManualClock, SimulatedDsmrMeter, SimulatedIec62056Meter, SimulatedSmlMeter } from '../../../../main/meter/sim/meters/index.js';
import { concat, decodeChunked, readings } from './helpers.js';

/** n valid frames of a protocol, each yielding exactly one reading (Modbus: request + response). */
function frames(protocol: MeterProtocol, n: number, seed: number): Uint8Array[] {
  const clock = new ManualClock(Date.UTC(2026, 4, 1, 6, 0, 0) + seed * 3_600_000);
  const out: Uint8Array[] = [];
  const dsmr = new SimulatedDsmrMeter({ version: '5.0', clock, seed });
  const iec = new SimulatedIec62056Meter({ clock, seed });
  const smlMeter = new SimulatedSmlMeter({ clock, seed });
  for (let k = 0; k < n; k++) {
    clock.advance(1000);
    switch (protocol) {
      case 'dsmr':
        out.push(new TextEncoder().encode(dsmr.telegram()));
        break;
      case 'iec62056-21':
        out.push(dataBlock(iec.readout()));
        break;
      case 'sml':
        out.push(smlMeter.file());
        break;
      case 'dlt645': {
        const v = (seed * 7919 + k * 104_729) % 99_999_999;
        const data = concat([Uint8Array.of(0x00, 0x00, 0x01, 0x00), encodeBcd(v, 4)]);
        out.push(encodeDltFrame({ address: '000012345678', control: 0x91, data }, k % 3));
        break;
      }
      case 'modbus':
        out.push(concat([readInputRequest(1, 0x0048, 4), readInputResponse(1, float32Registers([1000 + seed + k, 20 + k]))]));
        break;
    }
  }
  return out;
}

const PROTOCOLS: readonly MeterProtocol[] = ['dsmr', 'iec62056-21', 'dlt645', 'sml', 'modbus'];
const key = (r: Reading) => JSON.stringify(r);

describe.each(PROTOCOLS)('%s decoder properties', (protocol) => {
  const make = (l: Parameters<typeof createDecoder>[1]) => createDecoder(protocol, l);

  it('never throws or hangs on random bytes, however chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(3000), { maxLength: 8 }), async (bytes, cuts) => {
        await decodeChunked(make, bytes, [...cuts].sort((a, b) => a - b));
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on valid frames interleaved with random noise, and finds every frame the noise does not touch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 50 }), fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 4, maxLength: 4 }), async (seed, noise) => {
        const fs = frames(protocol, 3, seed);
        const clean = readings(await decodeChunked(make, concat(fs))).map(key);
        // Noise between frames; a trailing noise chunk may leave the decoder waiting, so end with a frame.
        const stream = concat([noise[0]!, fs[0]!, noise[1]!, fs[1]!, noise[2]!, fs[2]!]);
        const got = readings(await decodeChunked(make, stream)).map(key);
        for (const r of got) expect(clean).toContain(r);
        // Frames 1 and 2 follow noise that could only eat into a frame if it looked like a frame start.
        expect(got).toContain(clean[2]);
      }),
      { numRuns: 100 },
    );
  });

  it('never yields a reading from a damaged frame and never loses the frames around it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.nat(4),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.array(fc.nat(5000), { maxLength: 6 }),
        async (seed, kRaw, posRaw, flip, cuts) => {
          const fs = frames(protocol, 5, seed);
          const clean = readings(await decodeChunked(make, concat(fs))).map(key);
          expect(clean).toHaveLength(5);
          const k = kRaw % 5;
          const damaged = fs.map((f, i) => {
            if (i !== k) return f;
            const copy = f.slice();
            copy[posRaw % copy.length]! ^= flip;
            return copy;
          });
          const got = readings(await decodeChunked(make, concat(damaged), [...cuts].sort((a, b) => a - b))).map(key);
          // Whatever came out is an undamaged reading (a flip the checksum cannot see, such as a
          // preamble byte or CRC hex case, leaves the reading as it was).
          for (const r of got) expect(clean).toContain(r);
          // Every other frame is still there, in order: the output is the clean list with frame
          // k dropped, or (damage the checksum does not cover) the clean list itself.
          const others = clean.filter((_, i) => i !== k);
          expect([JSON.stringify(others), JSON.stringify(clean)]).toContain(JSON.stringify(got));
        },
      ),
      { numRuns: 150 },
    );
  });
});
