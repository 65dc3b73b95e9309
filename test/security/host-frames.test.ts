import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../main/host/browser-host.js';
import { startTarget, stillAnswering, type Target } from './support/attacker.js';
import { OP, closePayload, frame, rawExchange, rawHandshake, type RawConnection } from './support/raw-websocket.js';

// Issue 14, points 2 and 3: malformed WebSocket frames (with the main window's token) and an
// unreadable upgrade target (without any token) each took the whole browser host down. Each is
// sent here byte for byte over a raw socket to the real built host; only that socket may go, with
// the close code RFC 6455 gives its fault, and the host must answer afterwards.
let target: Target;
let port: number;

beforeAll(async () => {
  target = await startTarget();
  port = Number(new URL(target.host.origin).port);
});
afterAll(async () => {
  await target?.stop();
});

async function upgraded(): Promise<RawConnection> {
  const c = await rawHandshake({ port, target: `/api?token=${target.host.token}`, origin: target.host.origin });
  expect(c.status).toBe('HTTP/1.1 101 Switching Protocols');
  return c;
}

/** The call results among what the host sent (events for the main window arrive too). */
const results = (c: RawConnection) => c.texts.map((t) => JSON.parse(t) as { kind: string }).filter((m) => m.kind === 'result');

const callText = Buffer.from(JSON.stringify({ kind: 'call', id: 1, channel: 'app.info', request: {} }));

describe('a malformed frame closes only its own socket, with its close code', () => {
  const vectors: Array<{ name: string; bytes: () => Buffer; code: number }> = [
    {
      // The header alone claims more than the limit: refused before a byte of payload is read.
      name: 'a message over the size limit',
      bytes: () => frame({ opcode: OP.text, claimedLength: MAX_MESSAGE_BYTES + 1 }),
      code: 1009,
    },
    {
      name: 'a message over the size limit in fragments',
      bytes: () =>
        Buffer.concat([
          frame({ opcode: OP.binary, fin: false, payload: Buffer.alloc(MAX_MESSAGE_BYTES / 2 + 1) }),
          frame({ opcode: OP.continuation, fin: true, payload: Buffer.alloc(MAX_MESSAGE_BYTES / 2 + 1) }),
        ]),
      code: 1009,
    },
    { name: 'invalid UTF-8 in a text frame', bytes: () => frame({ opcode: OP.text, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }), code: 1007 },
    { name: 'close code 999', bytes: () => frame({ opcode: OP.close, payload: closePayload(999) }), code: 1002 },
    { name: 'a frame with RSV1 set and no extension negotiated', bytes: () => frame({ opcode: OP.text, rsv1: true, payload: callText }), code: 1002 },
    { name: 'an unmasked client frame', bytes: () => frame({ opcode: OP.text, masked: false, payload: callText }), code: 1002 },
    { name: 'a continuation with no message to continue', bytes: () => frame({ opcode: OP.continuation, payload: Buffer.from('x') }), code: 1002 },
    { name: 'a control frame longer than 125 bytes', bytes: () => frame({ opcode: OP.ping, payload: Buffer.alloc(126) }), code: 1002 },
    { name: 'a reserved opcode', bytes: () => frame({ opcode: 0x3, payload: Buffer.from('x') }), code: 1002 },
  ];

  for (const v of vectors) {
    it(`${v.name}: closed with ${v.code}; a bystander's connection and the host carry on`, async () => {
      const bystander = await upgraded();
      const attacker = await upgraded();
      attacker.socket.write(v.bytes());
      expect(await attacker.closeCode()).toBe(v.code);

      // The other socket still gets answers on its open connection.
      bystander.socket.write(frame({ opcode: OP.text, payload: callText }));
      await expect.poll(() => results(bystander).length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(results(bystander)[0]).toMatchObject({ kind: 'result', id: 1, envelope: { ok: true } });
      bystander.socket.destroy();
      expect(await stillAnswering(target.host)).toBe(true);
    });
  }

  it('text that is not a call (null, a number, an array, half a JSON) is ignored and the socket stays', async () => {
    const c = await upgraded();
    for (const text of ['null', '1', '[]', '"call"', '{"kind":"call","id":1', '{"kind":"call","id":2,"channel":5}']) {
      c.socket.write(frame({ opcode: OP.text, payload: Buffer.from(text) }));
    }
    c.socket.write(frame({ opcode: OP.text, payload: callText }));
    await expect.poll(() => results(c).length, { timeout: 10_000 }).toBe(1);
    expect(results(c)[0]).toMatchObject({ kind: 'result', id: 1, envelope: { ok: true } });
    c.socket.destroy();
    expect(await stillAnswering(target.host)).toBe(true);
  });

  it('a socket reset mid-frame leaves the host up', async () => {
    const c = await upgraded();
    c.socket.write(frame({ opcode: OP.text, payload: callText }).subarray(0, 5));
    c.socket.resetAndDestroy();
    expect(await stillAnswering(target.host)).toBe(true);
  });
});

describe('an upgrade the host cannot read is refused with 400, before and regardless of the token', () => {
  for (const t of ['http://[', 'http://[::1', '//[', 'http://%zz/', '*']) {
    it(`target ${t}`, async () => {
      const answer = await rawExchange(
        port,
        `GET ${t} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(await stillAnswering(target.host)).toBe(true);
    });
  }

  it('the same targets on a plain request are answered 400 too', async () => {
    for (const t of ['http://[', '//[', 'http://evil.example/']) {
      const answer = await rawExchange(port, `GET ${t} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(await stillAnswering(target.host)).toBe(true);
  });

  it('a request line Node cannot parse is answered 400', async () => {
    const answer = await rawExchange(port, 'GET /\x00 HTTP/1.1\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(await stillAnswering(target.host)).toBe(true);
  });
});
