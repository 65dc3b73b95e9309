import { HDNodeWallet, Mnemonic, Wallet, getAddress } from 'ethers';
import { WattletError } from '../api/errors.js';

/** BIP-44 account path of Ethereum: m/44'/60'/0'/0/i (SLIP-44 coin type 60). */
export const HD_ACCOUNT_ROOT = "m/44'/60'/0'/0";
export const hdPath = (index: number): string => `${HD_ACCOUNT_ROOT}/${index}`;

/** What one keychain entry holds. Only ever serialised into the keychain, never a file. */
export type WalletSecret = { kind: 'mnemonic'; phrase: string } | { kind: 'privateKey'; key: string };

export function encodeSecret(secret: WalletSecret): string {
  return JSON.stringify({ v: 1, ...secret });
}

/** Parses a keychain entry; a damaged entry is reported without echoing its content. */
export function decodeSecret(stored: string, keyId: string): WalletSecret {
  try {
    const v: unknown = JSON.parse(stored);
    if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (o.kind === 'mnemonic' && typeof o.phrase === 'string') return { kind: 'mnemonic', phrase: o.phrase };
      if (o.kind === 'privateKey' && typeof o.key === 'string') return { kind: 'privateKey', key: o.key };
    }
  } catch {
    // fall through to the coded error below; the entry's text must not reach a message
  }
  throw new WattletError('KEYCHAIN_ENTRY_MISSING', `The keychain entry of ${keyId} is not a Wattlet key`, { keyId });
}

/**
 * Normalises what a person typed or pasted: recovery words (any whitespace, any case) or a
 * private key (with or without 0x). Errors never include the input: it is a secret.
 */
export function parseImport(
  input: { kind: 'mnemonic'; mnemonic: string } | { kind: 'privateKey'; privateKey: string },
): WalletSecret {
  if (input.kind === 'mnemonic') {
    const phrase = input.mnemonic.trim().toLowerCase().split(/\s+/).join(' ');
    if (!Mnemonic.isValidMnemonic(phrase)) {
      throw new WattletError('WALLET_IMPORT_INVALID', 'These recovery words are not a valid BIP-39 phrase', {
        kind: 'mnemonic',
        words: phrase ? phrase.split(' ').length : 0,
      });
    }
    return { kind: 'mnemonic', phrase };
  }
  const hex = input.privateKey.trim().replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new WattletError('WALLET_IMPORT_INVALID', 'A private key is 64 hex digits', { kind: 'privateKey' });
  }
  try {
    return { kind: 'privateKey', key: new Wallet(`0x${hex}`).privateKey };
  } catch {
    // Zero or above the curve order: a valid-looking string that is not a key.
    throw new WattletError('WALLET_IMPORT_INVALID', 'This is not a valid secp256k1 private key', {
      kind: 'privateKey',
    });
  }
}

/** The signer of an account: index under HD_ACCOUNT_ROOT for words, null for a private key. */
export function signerOf(secret: WalletSecret, index: number | null): Wallet | HDNodeWallet {
  if (secret.kind === 'privateKey') return new Wallet(secret.key);
  return HDNodeWallet.fromPhrase(secret.phrase, undefined, hdPath(index ?? 0));
}

export function addressOf(secret: WalletSecret, index: number | null): string {
  return getAddress(signerOf(secret, index).address);
}

/** New 12 words from the OS's CSPRNG (ethers uses crypto.randomBytes). */
export function newMnemonicSecret(): WalletSecret & { kind: 'mnemonic' } {
  return { kind: 'mnemonic', phrase: Mnemonic.fromEntropy(randomEntropy()).phrase };
}

function randomEntropy(): Uint8Array {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}
