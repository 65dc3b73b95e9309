import type { LineSettings } from '../../../../../main/meter/serial/line-settings.js';
import type { WireHostSide } from '../../../../../main/meter/sim/wire.js';

/** The host end of a wire, recording what the meter sent and with which settings. */
export class WireCapture implements WireHostSide {
  readonly chunks: Array<{ bytes: Uint8Array; sentWith: LineSettings }> = [];
  fromMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    this.chunks.push({ bytes: bytes.slice(), sentWith });
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.bytes.length, 0));
    let o = 0;
    for (const c of this.chunks) {
      out.set(c.bytes, o);
      o += c.bytes.length;
    }
    return out;
  }
  clear(): void {
    this.chunks.length = 0;
  }
}
