import { describe, expect, it } from 'vitest';
import { redactText } from '../../../main/logging/redact-text.js';

describe('redactText', () => {
  it('masks private keys, mnemonics and tokens', () => {
    const key = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
    const words = 'test test test test test test test test test test test junk';
    const text = redactText(`key=${key} words="${words}" url=http://127.0.0.1:1/#token=abcDEF_123 ok`);
    expect(text).not.toContain(key.slice(2));
    expect(text).not.toContain('test test');
    expect(text).not.toContain('abcDEF_123');
    expect(text).toContain('ok');
  });

  it('leaves ordinary messages alone', () => {
    expect(redactText('meter connected at 115200 8N1')).toBe('meter connected at 115200 8N1');
  });
});
