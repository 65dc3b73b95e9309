/**
 * Luxembourg Smarty P1 (spec v1.1.3 §3.2.5, "channel security"): each DSMR telegram is sent
 * inside a DLMS general-glo-ciphering frame, AES-128-GCM with a 12-byte tag:
 *
 *   DB 08 <system title 8> 82 <len 2, BE> 30 <frame counter 4, BE> <ciphertext> <tag 12>
 *
 * `len` counts the security byte, the frame counter, the ciphertext and the tag. The GCM IV is
 * system title ‖ frame counter; the additional authenticated data is the security byte (0x30)
 * followed by the 16-byte authentication key the supplier hands out with the decryption key.
 */
export const SMARTY_TAG = 0xdb;
export const SMARTY_HEADER = 18;
export const SMARTY_GCM_TAG = 12;
export const SMARTY_SECURITY = 0x30;

export interface SmartyKeys {
  /** 16-byte AES key (the "GUEK"). */
  readonly key: Uint8Array;
  /** 16-byte authentication key; the AAD is 0x30 ‖ this. */
  readonly aad: Uint8Array;
}

/** Total frame length if buf[i..] starts a plausible Smarty header, else -1. */
export function smartyFrameLength(buf: Uint8Array, i: number, end: number): number {
  if (end - i < SMARTY_HEADER) return 0; // undecided: need more bytes
  if (buf[i] !== SMARTY_TAG || buf[i + 1] !== 0x08 || buf[i + 10] !== 0x82 || buf[i + 13] !== SMARTY_SECURITY) return -1;
  const len = (buf[i + 11]! << 8) | buf[i + 12]!;
  if (len < 5 + SMARTY_GCM_TAG + 1 || len > 8192) return -1;
  return 13 + len;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto is not available');
  return s;
}

function iv(frame: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12);
  out.set(frame.subarray(2, 10), 0);
  out.set(frame.subarray(14, 18), 8);
  return out;
}

function aadOf(keys: SmartyKeys): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(1 + keys.aad.length);
  out[0] = SMARTY_SECURITY;
  out.set(keys.aad, 1);
  return out;
}

export async function importSmartyKey(key: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey('raw', new Uint8Array(key), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** Decrypt one whole frame; null if the tag does not verify (wrong key/AAD, damaged bytes). */
export async function decryptSmartyFrame(frame: Uint8Array, key: CryptoKey, keys: SmartyKeys): Promise<Uint8Array | null> {
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: iv(frame), additionalData: aadOf(keys), tagLength: SMARTY_GCM_TAG * 8 },
      key,
      new Uint8Array(frame.subarray(SMARTY_HEADER)),
    );
    return new Uint8Array(plain);
  } catch {
    return null; // WebCrypto reports a failed tag as OperationError; that is the answer, not a bug
  }
}

/** Build a frame (simulated Smarty meters, tests). */
export async function encryptSmartyFrame(
  telegram: Uint8Array,
  keys: SmartyKeys,
  systemTitle: Uint8Array,
  frameCounter: number,
): Promise<Uint8Array> {
  const key = await importSmartyKey(keys.key);
  const header = new Uint8Array(SMARTY_HEADER);
  header[0] = SMARTY_TAG;
  header[1] = 0x08;
  header.set(systemTitle.subarray(0, 8), 2);
  header[10] = 0x82;
  const len = 5 + telegram.length + SMARTY_GCM_TAG;
  header[11] = len >> 8;
  header[12] = len & 0xff;
  header[13] = SMARTY_SECURITY;
  new DataView(header.buffer).setUint32(14, frameCounter >>> 0);
  const sealed = await subtle().encrypt(
    { name: 'AES-GCM', iv: iv(header), additionalData: aadOf(keys), tagLength: SMARTY_GCM_TAG * 8 },
    key,
    new Uint8Array(telegram),
  );
  const out = new Uint8Array(SMARTY_HEADER + sealed.byteLength);
  out.set(header);
  out.set(new Uint8Array(sealed), SMARTY_HEADER);
  return out;
}
