import type { LineSettings } from '../../../../main/meter/serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../../main/meter/sim/wire.js';

/** A meter line the test drives piece by piece (to tear a telegram at a chosen place). */
export class ScriptedLine implements SimulatedMeterLine {
  host: WireHostSide | null = null;
  constructor(readonly settings: LineSettings) {}
  attach(host: WireHostSide): void {
    this.host = host;
  }
  toMeter(): void {}
  detach(): void {
    this.host = null;
  }
  send(bytes: Uint8Array): void {
    this.host?.fromMeter(bytes, this.settings);
  }
}
