import { hexlify, toUtf8Bytes, toUtf8String } from 'ethers';

/**
 * A personal_sign message as the surface shows it: the text when the bytes are printable UTF-8,
 * always the hex, so bytes that only look like text cannot hide what is signed.
 */
export function messageBytes(message: string, encoding: 'utf8' | 'hex'): Uint8Array {
  return encoding === 'hex' ? Uint8Array.from(Buffer.from(message.slice(2), 'hex')) : toUtf8Bytes(message);
}

export function messageDisplay(bytes: Uint8Array): { text: string | null; hex: string } {
  let text: string | null = null;
  try {
    const decoded = toUtf8String(bytes);
    // Control characters other than tab and newlines could rewrite what the person sees.
    text = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(decoded) ? null : decoded;
  } catch {
    text = null;
  }
  return { text, hex: hexlify(bytes) };
}
