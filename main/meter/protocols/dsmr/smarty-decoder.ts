import { DecoderBase, type DecoderCountOptions } from '../decoder-base.js';
import type { DecodeEvent, DecodeListener } from '../decoder.js';
import { DsmrDecoder } from './dsmr-decoder.js';
import { decryptSmartyFrame, importSmartyKey, smartyFrameLength, type SmartyKeys } from './smarty-frame.js';

/**
 * Streaming decoder for encrypted Smarty frames. Framing is synchronous; decryption is
 * WebCrypto and therefore asynchronous, chained so events still come out in stream order. The
 * decrypted telegram then goes through the ordinary DSMR decoder (its CRC is checked too).
 * A frame whose tag fails is METER_SMARTY_AUTH. Framing has to trust the header's length (the
 * GCM tag says only later whether it was right), so a frame whose length bytes were garbled
 * longer swallows the frames after it: when its tag fails, the frames wholly inside it are
 * looked for and decrypted in its place. (One cut by the false end is lost with it.)
 */
export class SmartyDecoder extends DecoderBase {
  readonly protocol = 'dsmr' as const;
  readonly #keys: SmartyKeys | null;
  #key: Promise<CryptoKey | null>;
  #chain: Promise<void> = Promise.resolve();
  #generation = 0;

  constructor(listener: DecodeListener, keys: SmartyKeys | null, options: DecoderCountOptions = {}) {
    super(listener, { window: 8192, garbage: { code: 'METER_FRAMING', detail: 'bytes outside a frame' }, stats: options.stats });
    this.#keys = keys && keys.key.length === 16 && keys.aad.length === 16 ? keys : null;
    this.#key = this.#keys ? importSmartyKey(this.#keys.key).catch(() => null) : Promise.resolve(null);
  }

  /** Events of synchronous framing must queue behind pending decryptions to keep order. */
  protected override emitInOrder(e: DecodeEvent): void {
    const gen = this.#generation;
    this.#chain = this.#chain.then(() => {
      if (gen === this.#generation) this.emit(e);
    });
  }

  protected scan(receivedAt: number): void {
    const w = this.w;
    const buf = w.buf;
    while (w.start < w.end) {
      const i = w.start;
      const len = smartyFrameLength(buf, i, w.end);
      if (len === 0) return;
      if (len < 0) {
        if (this.garbage < 0) this.garbage = i;
        w.start = i + 1;
        continue;
      }
      if (w.end - i < len) return;
      this.flushGarbage(i);
      const frame = buf.slice(i, i + len);
      const offset = w.offsetOf(i);
      this.#decrypt(frame, offset, receivedAt);
      w.start = i + len;
    }
    this.flushGarbageOver(16384, w.end);
  }

  #decrypt(frame: Uint8Array, offset: number, receivedAt: number): void {
    const gen = this.#generation;
    const keys = this.#keys;
    const result = this.#key.then(async (key) => (key && keys ? decryptSmartyFrame(frame, key, keys) : undefined));
    this.#chain = this.#chain.then(async () => {
      const plain = await result;
      const key = await this.#key;
      if (gen !== this.#generation) return;
      const length = frame.length;
      if (plain === undefined) {
        this.emit({ kind: 'error', code: 'METER_SMARTY_KEY', offset, length, detail: 'no valid 16-byte key and AAD' });
        return;
      }
      if (plain === null) {
        this.emit({ kind: 'error', code: 'METER_SMARTY_AUTH', offset, length, detail: 'GCM tag mismatch' });
        if (key && keys) await this.#swallowed(frame, offset, receivedAt, key, keys, gen);
        return;
      }
      this.#telegram(plain, offset, length, receivedAt);
    });
  }

  /** The decrypted telegram through the ordinary DSMR decoder (its CRC is checked too). */
  #telegram(plain: Uint8Array, offset: number, length: number, receivedAt: number): void {
    const inner = new DsmrDecoder((e) => this.emit({ ...e, offset, length }));
    inner.push(plain, receivedAt);
    inner.push(new Uint8Array([0x0d, 0x0a]), receivedAt);
    inner.end(); // a telegram cut inside an authenticated frame is reported, not dropped
  }

  /** Whole frames inside a frame whose tag failed: what a garbled length made it swallow. */
  async #swallowed(frame: Uint8Array, offset: number, receivedAt: number, key: CryptoKey, keys: SmartyKeys, gen: number): Promise<void> {
    for (let k = 1; k < frame.length; k++) {
      const len = smartyFrameLength(frame, k, frame.length);
      if (len <= 0 || k + len > frame.length) continue;
      const plain = await decryptSmartyFrame(frame.subarray(k, k + len), key, keys);
      if (gen !== this.#generation) return;
      if (plain === null) continue; // a header look-alike inside the ciphertext, or damaged too
      this.#telegram(plain, offset + k, len, receivedAt);
      k += len - 1;
    }
  }

  override settled(): Promise<void> {
    return this.#chain;
  }

  protected override cleared(): void {
    this.#generation++;
  }
}
