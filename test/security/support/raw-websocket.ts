import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client written by hand over a raw TCP socket, so a test can send exactly the bytes
 * a well-behaved library never would (RFC 6455 §5.2 framing): reserved bits, unmasked frames,
 * reserved close codes, lengths past the host's limit, invalid UTF-8.
 */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload?: Buffer;
  readonly fin?: boolean;
  readonly rsv1?: boolean;
  /** Clients must mask (§5.3); false sends the payload bare. */
  readonly masked?: boolean;
  /** The length the header claims, when it should differ from the payload sent. */
  readonly claimedLength?: number;
}

export const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9 } as const;

export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const length = spec.claimedLength ?? payload.length;
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 ? 0x40 : 0) | spec.opcode;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  } else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([header, key, body]);
}

/** A close frame's payload: the 2-byte code and an optional reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return Buffer.concat([b, Buffer.from(reason)]);
}

export interface RawConnection {
  readonly socket: Socket;
  /** The HTTP status line the host answered the handshake with. */
  readonly status: string;
  /** Resolves with the code of the host's close frame, or 'ended' when the socket ended without one. */
  closeCode(timeoutMs?: number): Promise<number | 'ended'>;
  /** The text messages the host sent so far. */
  readonly texts: string[];
}

export interface HandshakeOptions {
  readonly port: number;
  /** The request target (default /api?token=…). */
  readonly target: string;
  readonly host?: string;
  readonly origin?: string;
  /** Raw header lines to send instead of the defaults after the request line. */
  readonly headers?: readonly string[];
}

/** Sends an upgrade request and resolves once the host answered its status line. */
export function rawHandshake(options: HandshakeOptions): Promise<RawConnection> {
  const headers = options.headers ?? [
    `Host: ${options.host ?? `127.0.0.1:${options.port}`}`,
    ...(options.origin ? [`Origin: ${options.origin}`] : []),
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(options.port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    let status: string | null = null;
    let closeCode: number | 'ended' | null = null;
    const texts: string[] = [];
    const waiters: Array<() => void> = [];
    const settleClose = (code: number | 'ended') => {
      if (closeCode !== null) return;
      closeCode = code;
      for (const w of waiters.splice(0)) w();
    };
    const parseFrames = () => {
      // Frames from the server are never masked (§5.1).
      for (;;) {
        if (buffered.length < 2) return;
        const opcode = buffered[0]! & 0x0f;
        let length = buffered[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffered.length < 4) return;
          length = buffered.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffered.length < 10) return;
          length = Number(buffered.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffered.length < offset + length) return;
        const payload = buffered.subarray(offset, offset + length);
        buffered = buffered.subarray(offset + length);
        if (opcode === OP.close) settleClose(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
        if (opcode === OP.text) texts.push(payload.toString('utf8'));
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (status === null) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        status = buffered.subarray(0, buffered.indexOf('\r\n')).toString('latin1');
        buffered = buffered.subarray(end + 4);
        resolve({
          socket,
          status,
          texts,
          closeCode: (timeoutMs = 10_000) =>
            new Promise((res, rej) => {
              if (closeCode !== null) return res(closeCode);
              const timer = setTimeout(() => rej(new Error('the host sent no close frame and kept the socket open')), timeoutMs);
              waiters.push(() => {
                clearTimeout(timer);
                res(closeCode!);
              });
            }),
        });
      }
      parseFrames();
    });
    socket.on('error', (e) => {
      if (status === null) reject(e);
      settleClose('ended');
    });
    socket.on('close', () => {
      if (status === null) reject(new Error('the host closed the connection without answering'));
      settleClose('ended');
    });
    socket.write([`GET ${options.target} HTTP/1.1`, ...headers, '', ''].join('\r\n'));
  });
}

/** Sends raw bytes (a request line and headers of one's own) and resolves with the whole answer. */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e) => {
      clearTimeout(timer);
      if (chunks.length) resolve(Buffer.concat(chunks).toString('latin1'));
      else reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes);
  });
}
