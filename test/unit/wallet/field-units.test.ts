import { describe, expect, it } from 'vitest';
import { displayField } from '../../../main/wallet/field-units.js';
import { messageDisplay } from '../../../main/wallet/message-display.js';
import { parseImport } from '../../../main/wallet/wallet-secret.js';
import { isError } from '../../../main/api/errors.js';

const native = { symbol: 'ETH', decimals: 18 };
const usdc = { symbol: 'USDC', decimals: 6 };

describe('display units', () => {
  it('shows Wh as kWh, prices per kWh in the struct token, times in UTC', () => {
    expect(displayField('energyWh', 'uint64', 1500, { native, token: null })).toMatchObject({ display: '1.5', unit: 'kWh' });
    expect(displayField('pricePerKWh', 'uint256', '250000', { native, token: usdc })).toMatchObject({ display: '0.25', unit: 'USDC/kWh' });
    expect(displayField('pricePerKWh', 'uint256', '10', { native, token: null })).toMatchObject({ unit: 'ETH/kWh' });
    expect(displayField('offer.expiry', 'uint64', 1_767_225_600, { native, token: null })).toMatchObject({
      display: '2026-01-01T00:00:00Z',
      unit: 'UTC',
    });
    expect(displayField('token', 'address', '0x' + '0'.repeat(40), { native, token: native }).display).toContain('(ETH)');
    expect(displayField('nonce', 'uint256', '7', { native, token: null })).toMatchObject({ display: '7', unit: null });
  });

  it('hides text that carries control or direction-override characters, always keeping hex', () => {
    expect(messageDisplay(new TextEncoder().encode('plain'))).toEqual({ text: 'plain', hex: '0x706c61696e' });
    expect(messageDisplay(new TextEncoder().encode('pay\u202Eevil')).text).toBeNull();
    expect(messageDisplay(Uint8Array.from([0xff, 0xfe])).text).toBeNull();
  });
});

describe('import parsing', () => {
  it('never puts the rejected input into the error', () => {
    const secretish = 'abandon '.repeat(11) + 'zebra';
    for (const input of [
      { kind: 'mnemonic' as const, mnemonic: secretish },
      { kind: 'privateKey' as const, privateKey: '0x' + 'ff'.repeat(32) },
      { kind: 'privateKey' as const, privateKey: 'nothex-' + 'ab'.repeat(20) },
    ]) {
      let e: unknown;
      try {
        parseImport(input);
      } catch (x) {
        e = x;
      }
      expect(isError(e, 'WALLET_IMPORT_INVALID')).toBe(true);
      const text = JSON.stringify(isError(e) ? e.toJSON() : e);
      expect(text).not.toContain('zebra');
      expect(text).not.toContain('ffffffff');
      expect(text).not.toContain('abababab');
    }
  });
});
