import { formatLine, type LineSettings } from '../../../../main/meter/serial/line-settings.js';
import type { SimulatedMeterLine, WireHostSide } from '../../../../main/meter/sim/wire.js';
import { MeterWire, type ChipLineSource } from '../../harness/meter-wire.js';
import { emit, toBase64 } from '../report.js';

/**
 * A simulated meter with a record for the host: every chunk it sent and heard goes out as an
 * event, with the line settings it was sent at (the host decodes the exact bytes for the
 * expected readings, as it does with its own meters in the FTDI family).
 */
export class ReportingLine implements SimulatedMeterLine {
  constructor(readonly meter: SimulatedMeterLine) {}

  attach(host: WireHostSide): void {
    this.meter.attach({
      fromMeter: (bytes, sentWith) => {
        emit({ event: 'meter-sent', line: formatLine(sentWith), bytes: toBase64(bytes) });
        host.fromMeter(bytes, sentWith);
      },
    });
  }

  toMeter(bytes: Uint8Array, sentWith: LineSettings): void {
    emit({ event: 'meter-heard', line: formatLine(sentWith), bytes: toBase64(bytes) });
    this.meter.toMeter(bytes, sentWith);
  }

  detach(): void {
    this.meter.detach();
  }
}

interface TtyPort {
  write(data: Buffer, cb: (e?: Error | null) => void): void;
  on(event: 'data', cb: (chunk: Buffer) => void): void;
  close(cb: () => void): void;
  readonly isOpen: boolean;
}

/**
 * The far side of Linux's CDC-ACM gadget: /dev/ttyGS0, where u_serial delivers what the USB
 * host sent and takes what goes back. A simulated meter sits on it behind the project's UART
 * model, the chip's settings being the line coding f_acm received (kprobe) — so a wrong
 * SET_LINE_CODING garbles the meter's bytes as a real adapter's would.
 */
export class GadgetTtyMeter {
  private constructor(
    private readonly port: TtyPort,
    private readonly wire: MeterWire,
  ) {}

  static async open(path: string, chip: ChipLineSource, meter: SimulatedMeterLine): Promise<GadgetTtyMeter> {
    // serialport opens the tty raw (no echo, no CR/LF translation); its speed means nothing to u_serial.
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    const wire = new MeterWire(chip, meter, (bytes) => port.write(Buffer.from(bytes)), (line) => emit({ event: 'log', message: `wire: ${line}` }));
    port.on('data', (chunk: Buffer) => wire.fromAdapter(new Uint8Array(chunk)));
    return new GadgetTtyMeter(port as unknown as TtyPort, wire);
  }

  async close(): Promise<void> {
    this.wire.close();
    if (this.port.isOpen) await new Promise<void>((r) => this.port.close(() => r()));
  }
}
