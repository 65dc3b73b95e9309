import { z } from 'zod';
import { channel, event } from './channel.js';

// The meter-session domain of the contract: live readings, the session's state and counters,
// and the codes of protocol decoding and detection.

export const sessionErrorCodes = [
  'METER_CHECKSUM', // a frame's CRC/BCC/checksum failed: bytes damaged on the wire
  'METER_FRAMING', // a frame started but broke off or is malformed
  'METER_FRAME_TOO_LONG', // no end marker within the protocol's maximum frame length
  'METER_TRUNCATED', // the stream ended inside a frame (capture end, link closed); offset = the frame's start
  'METER_NO_QUANTITIES', // a warning: a whole frame with data lines gave a reading with no quantity
  'METER_NO_ANSWER', // the meter stayed silent past the timeout; facts: protocol, silenceMs
  'METER_DETECT_NONE', // auto-detection tried every protocol and line; facts: attempts, summary
  'METER_DLT645_EXCEPTION', // a DL/T 645 meter refused a read (ERR bits in the message)
  'METER_MODBUS_EXCEPTION', // a Modbus meter answered an exception code
  'METER_SMARTY_KEY', // an encrypted (Smarty) meter but no valid 16-byte key and AAD
  'METER_SMARTY_AUTH', // the Smarty frame did not authenticate: wrong key or AAD
  'METER_SESSION_NOT_RUNNING', // no meter session is configured in this mode
] as const;
export type SessionErrorCode = (typeof sessionErrorCodes)[number];

export const meterProtocol = z.enum(['dsmr', 'iec62056-21', 'dlt645', 'sml', 'modbus']);

const int = z.number().int();
const safeInt = int.refine(Number.isSafeInteger, 'must be a safe integer');

/** The normalized reading (main/meter/reading.ts) as it crosses the boundary: integers only. */
export const readingSchema = z.object({
  meterId: z.string(),
  protocol: meterProtocol,
  meterTime: int.nullable(),
  receivedAt: int,
  quantities: z.array(
    z.object({
      obis: z.string(),
      value: safeInt,
      unit: z.enum(['Wh', 'varh', 'W', 'var', 'VA', 'mV', 'mA', 'mHz', 'dm3', 'kJ', 'count', 's', 'ms']),
      capturedAt: int.optional(),
    }),
  ),
  raw: z.array(z.string()),
  text: z.string().optional(),
  /** Lines or data sets the decoder could not read (kept in raw). */
  unread: int.nonnegative().optional(),
  /** Ids of the meter quirks corrected in this reading (meter/quirks). */
  quirks: z.array(z.string()).readonly().optional(),
});
export type ReadingPayload = z.infer<typeof readingSchema>;

export const sessionStateSchema = z.enum(['idle', 'connecting', 'detecting', 'reading', 'waiting', 'stopped']);

export const sessionStatusSchema = z.object({
  state: sessionStateSchema,
  protocol: z.string().nullable(),
  /** "115200 8N1" … */
  line: z.string().nullable(),
  meterId: z.string().nullable(),
  /** "usb:ftdi", "os:os-serial" … */
  adapter: z.string().nullable(),
  counters: z.object({
    framesOk: int,
    readings: int,
    checksumErrors: int,
    framingErrors: int,
    timeouts: int,
    exceptions: int,
    reconnects: int,
    recentReconnects: z.array(z.object({ at: int, reason: z.string() })),
    lastFrameAt: int.nullable(),
    lastErrorCode: z.string().nullable(),
  }),
  link: z
    .object({
      bytesIn: int,
      bytesOut: int,
      lineErrors: z.object({ overrun: int, parity: int, framing: int, break: int }),
    })
    .nullable(),
  lastReadingAt: int.nullable(),
  retryAt: int.nullable(),
});
export type SessionStatusPayload = z.infer<typeof sessionStatusSchema>;

export const sessionChannels = {
  'meter.session.status': channel({
    doc: "The meter session's state, protocol and line, link statistics and counters.",
    request: z.object({}),
    response: sessionStatusSchema,
    errors: ['METER_SESSION_NOT_RUNNING'],
  }),
};

export const sessionEvents = {
  'meter.reading': event({ doc: 'A reading from the meter (normalized, integer values).', payload: readingSchema }),
  'meter.state': event({ doc: 'The meter session changed state (or its counters moved).', payload: sessionStatusSchema }),
};
