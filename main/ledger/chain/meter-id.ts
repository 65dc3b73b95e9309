import { keccak256, toUtf8Bytes } from 'ethers';

/**
 * A meter id on the ledger is bytes32. A 0x-prefixed 32-byte hex is taken as is; anything else
 * (the serial printed on the meter, e.g. 'E0031234567890') is hashed: keccak256(utf8(serial)),
 * so ids are fixed size and a serial does not appear in clear on chain.
 */
export function meterIdOf(text: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(text)) return text.toLowerCase();
  return keccak256(toUtf8Bytes(text.trim()));
}
