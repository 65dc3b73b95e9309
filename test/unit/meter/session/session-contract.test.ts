import { describe, expect, it } from 'vitest';
import { errorCodes, events, channels } from '../../../../main/api/contract.js';
import { createDispatcher } from '../../../../main/api/dispatcher.js';
import { sessionHandlers } from '../../../../main/meter/session/handlers.js';
import { sessionErrorCodes } from '../../../../main/api/session.js';
import type { DecodeErrorCode } from '../../../../main/meter/protocols/decoder.js';
import { protocols as en } from '../../../../renderer/i18n/en/protocols.js';
import { protocols as zh } from '../../../../renderer/i18n/zh-CN/protocols.js';

describe('the session part of the contract', () => {
  it('registers its channel, events and codes in the one contract', () => {
    expect(Object.keys(channels)).toContain('meter.session.status');
    expect(Object.keys(events)).toEqual(expect.arrayContaining(['meter.reading', 'meter.state']));
    for (const c of sessionErrorCodes) expect(errorCodes).toContain(c);
  });

  it('translates every session error code in English and Chinese, with the same placeholders', () => {
    for (const code of sessionErrorCodes) {
      const a = en.errors[code];
      const b = (zh.errors as Record<string, string>)[code];
      expect(a, code).toBeTruthy();
      expect(b, code).toBeTruthy();
      const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(b!), code).toEqual(holes(a!));
    }
  });

  it('answers METER_SESSION_NOT_RUNNING through the dispatcher when no meter is configured', async () => {
    const dispatch = createDispatcher(sessionHandlers(() => null));
    const env = await dispatch('meter.session.status', {}, { host: 'cli' });
    expect(env.ok === false && env.error.code).toBe('METER_SESSION_NOT_RUNNING');
  });

  it('lists every code a decoder can emit', () => {
    const decoderCodes: DecodeErrorCode[] = [
      'METER_CHECKSUM',
      'METER_FRAMING',
      'METER_FRAME_TOO_LONG',
      'METER_DLT645_EXCEPTION',
      'METER_MODBUS_EXCEPTION',
      'METER_SMARTY_KEY',
      'METER_SMARTY_AUTH',
    ];
    for (const c of decoderCodes) expect(sessionErrorCodes as readonly string[]).toContain(c);
  });
});
