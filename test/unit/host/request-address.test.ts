import { describe, expect, it } from 'vitest';
import { hostAllowed, requestUrl } from '../../../main/host/request-address.js';

const origin = 'http://127.0.0.1:5173';

describe('requestUrl', () => {
  it('reads origin-form targets and absolute-form ones naming this origin', () => {
    expect(requestUrl('/api?token=x', origin)?.pathname).toBe('/api');
    expect(requestUrl('/', origin)?.href).toBe(`${origin}/`);
    expect(requestUrl(`${origin}/assets/a.js`, origin)?.pathname).toBe('/assets/a.js');
  });

  it('answers null, never throws, for what cannot be read or names elsewhere', () => {
    for (const t of [undefined, '', 'http://[', 'http://[::1', '//[', '//evil.example/api', 'http://evil.example/', 'http://localhost:5173/', '*', 'api?token=x', 'javascript:alert(1)', 'file:///etc/passwd', 'http://%zz/']) {
      expect(() => requestUrl(t, origin)).not.toThrow();
      expect(requestUrl(t, origin)).toBeNull();
    }
  });
});

describe('hostAllowed', () => {
  it('only 127.0.0.1:PORT and localhost:PORT, in any case', () => {
    for (const host of ['127.0.0.1:5173', 'localhost:5173', 'LOCALHOST:5173']) expect(hostAllowed({ host }, 5173)).toBe(true);
    for (const host of [undefined, '', '127.0.0.1', 'localhost', '127.0.0.1:5174', 'evil.example:5173', '127.0.0.1:5173.evil.example', '[::1]:5173', ' 127.0.0.1:5173', '127.0.0.1:5173 ']) {
      expect(hostAllowed({ host }, 5173)).toBe(false);
    }
  });
});
