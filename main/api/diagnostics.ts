import { z } from 'zod';
import { channel, event } from './channel.js';
import { errorShape } from './errors.js';
import { usbDeviceInfoSchema, usbStatusSchema } from './meter.js';

// The diagnostics domain of the contract: what the cable and the meter are doing, in facts and
// findings a support engineer (and the household) can act on, plus the redacted support bundle.

export const diagnosticsErrorCodes = [
  'DIAG_PROBE_BUSY', // an auto-probe is already running; facts: probeId
  'DIAG_PROBE_UNAVAILABLE', // no prober is wired in this mode (no detector, no adapter)
  'DIAG_PROBE_NOT_FOUND', // cancel of a probe id that is not running; facts: probeId
  'DIAG_PROBE_DEVICE_IN_USE', // the meter session holds the adapter; probing would tear its link; facts: deviceId
  'DIAG_BUNDLE_PREVIEW_EXPIRED', // save of a preview id that is no longer held; facts: previewId
  'DIAG_BUNDLE_WRITE_FAILED', // the bundle file could not be written; facts: file, reason
  'DIAG_BUNDLE_CANCELLED', // the person closed the save dialog
] as const;
export type DiagnosticsErrorCode = (typeof diagnosticsErrorCodes)[number];

const factValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const factsSchema = z.record(z.string(), factValue);

export const lineSettingsSchema = z.object({
  baudRate: z.number().int().positive(),
  dataBits: z.union([z.literal(7), z.literal(8)]),
  parity: z.enum(['none', 'odd', 'even', 'mark', 'space']),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]),
});

/**
 * Whether the app can open an adapter. 'claimed' = a kernel driver or another program holds the
 * interface; 'in-use' = our own meter session holds it (that is fine).
 */
export const deviceAccess = z.enum(['free', 'in-use', 'claimed', 'permission-denied', 'gone', 'unknown']);
export type DeviceAccess = z.infer<typeof deviceAccess>;

export const diagUsbDeviceSchema = usbDeviceInfoSchema.extend({
  access: deviceAccess,
  /** The error behind the access state (METER_PERMISSION_DENIED …), with its facts. */
  accessError: errorShape.nullable(),
});
export type DiagUsbDevice = z.infer<typeof diagUsbDeviceSchema>;

export const usbSnapshotSchema = z.object({
  status: usbStatusSchema,
  devices: z.array(diagUsbDeviceSchema),
  /** Error from listing devices, when the listing itself failed. */
  listError: errorShape.nullable(),
});
export type UsbSnapshot = z.infer<typeof usbSnapshotSchema>;

export const linkState = z.enum(['idle', 'connecting', 'open', 'reconnecting', 'closed', 'failed']);

export const linkStatsSchema = z.object({
  state: linkState,
  deviceId: z.string().nullable(),
  /** 'ftdi', 'cp210x', …, 'os-serial'. */
  family: z.string().nullable(),
  path: z.enum(['usb', 'os']).nullable(),
  protocol: z.string().nullable(),
  line: lineSettingsSchema.nullable(),
  /** When the current connection opened (ms since epoch); null when not open. */
  openedAt: z.number().nullable(),
  bytesIn: z.number().int().nonnegative(),
  bytesOut: z.number().int().nonnegative(),
  lineErrors: z.object({
    overrun: z.number().int().nonnegative(),
    parity: z.number().int().nonnegative(),
    framing: z.number().int().nonnegative(),
    break: z.number().int().nonnegative(),
  }),
  framesOk: z.number().int().nonnegative(),
  checksumErrors: z.number().int().nonnegative(),
  framingErrors: z.number().int().nonnegative(),
  timeouts: z.number().int().nonnegative(),
  lastByteAt: z.number().nullable(),
  lastFrameAt: z.number().nullable(),
  reconnects: z.array(z.object({ at: z.number(), reason: z.string().nullable() })),
  lastError: errorShape.nullable(),
});
export type LinkStats = z.infer<typeof linkStatsSchema>;

export const frameDirection = z.enum(['in', 'out']);
export const frameEntrySchema = z.object({
  /** Increasing per log; a client asks for frames after the last seq it holds. */
  seq: z.number().int().nonnegative(),
  at: z.number(),
  direction: frameDirection,
  protocol: z.string().nullable(),
  ok: z.boolean(),
  /** Lowercase hex, bytes separated by spaces. */
  hex: z.string(),
  /** Printable rendering of the bytes (control bytes as ·), for text protocols. */
  text: z.string(),
  /** What the decoder made of it: a one-line summary. */
  decoded: z.string().nullable(),
  error: z.object({ code: z.string(), detail: z.string() }).nullable(),
  length: z.number().int().nonnegative(),
  /** The bytes were cut to the log's per-frame limit. */
  truncated: z.boolean(),
});
export type FrameEntry = z.infer<typeof frameEntrySchema>;

export const probeOutcome = z.enum(['ok', 'no-data', 'garbled', 'checksum', 'timeout', 'error', 'cancelled']);
export type ProbeOutcome = z.infer<typeof probeOutcome>;

export const probeAttemptSchema = z.object({
  index: z.number().int().nonnegative(),
  protocol: z.string(),
  line: lineSettingsSchema,
  outcome: probeOutcome,
  startedAt: z.number(),
  durationMs: z.number().nonnegative(),
  bytesIn: z.number().int().nonnegative(),
  framesOk: z.number().int().nonnegative(),
  checksumErrors: z.number().int().nonnegative(),
  framingErrors: z.number().int().nonnegative(),
  error: errorShape.nullable(),
});
export type ProbeAttempt = z.infer<typeof probeAttemptSchema>;

export const probeReportSchema = z.object({
  probeId: z.string(),
  deviceId: z.string().nullable(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  attempts: z.array(probeAttemptSchema),
  /** The first attempt that produced good frames, if any. */
  found: z.object({ protocol: z.string(), line: lineSettingsSchema }).nullable(),
  error: errorShape.nullable(),
});
export type ProbeReport = z.infer<typeof probeReportSchema>;

export const recentErrorSchema = z.object({
  at: z.number(),
  /** Which part reported it: 'meter.session', 'api', … */
  source: z.string(),
  error: errorShape,
});
export type RecentError = z.infer<typeof recentErrorSchema>;

export const findingSeverity = z.enum(['blocking', 'warning', 'info', 'ok']);
export type FindingSeverity = z.infer<typeof findingSeverity>;

/**
 * One plain-language finding. The UI and the CLI translate `code` (title, what it means, what to
 * do) with `facts`; `command` is an exact shell command to run, never translated.
 */
export const findingSchema = z.object({
  code: z.string(),
  severity: findingSeverity,
  facts: factsSchema,
  command: z.string().nullable(),
  /** The device the finding is about, when it is about one. */
  deviceId: z.string().nullable(),
});
export type Finding = z.infer<typeof findingSchema>;

/**
 * What the readings of one meter carried beyond the current registers: lines or data sets the
 * decoder could not read (counted, the last ones kept), readings with no quantity, register
 * history (quantities with an F group, which history never stores), and the meter quirks
 * corrected (ids of meter/quirks).
 */
export const meterDataSchema = z.object({
  meterId: z.string(),
  protocol: z.string(),
  readings: z.number().int().nonnegative(),
  /** Lines or data sets not read, summed over the readings. */
  unread: z.number().int().nonnegative(),
  /** Readings that had one or more unread lines. */
  readingsWithUnread: z.number().int().nonnegative(),
  /** The unread lines of the last reading that had any (each cut to 200 characters). */
  lastUnread: z.array(z.string()),
  /** METER_NO_QUANTITIES warnings: a frame with data lines gave no quantity. */
  noQuantities: z.number().int().nonnegative(),
  /** The last value of each history register ("1.8.0*96"): shown, never stored. */
  history: z.array(z.object({ obis: z.string(), value: z.number().int(), unit: z.string(), at: z.number() })),
  /** Quirks corrected in this meter's readings, with how many readings each. */
  quirks: z.array(z.object({ id: z.string(), readings: z.number().int().nonnegative() })),
  lastReadingAt: z.number().nullable(),
});
export type MeterData = z.infer<typeof meterDataSchema>;

export const diagnosticsSnapshotSchema = z.object({
  takenAt: z.number(),
  usb: usbSnapshotSchema,
  serialPorts: z.array(z.object({ path: z.string(), vidPid: z.string().nullable(), serialNumber: z.string().nullable() })),
  link: linkStatsSchema.nullable(),
  probe: probeReportSchema.nullable(),
  recentErrors: z.array(recentErrorSchema),
  frameLog: z.object({ count: z.number().int(), bytes: z.number().int(), windowMs: z.number().int(), latestSeq: z.number().int() }),
  /** Per meter read this session: unread lines, register history, quirks corrected (issue 21). */
  meters: z.array(meterDataSchema).optional(),
});
export type DiagnosticsSnapshot = z.infer<typeof diagnosticsSnapshotSchema>;

export const findingsResultSchema = z.object({
  takenAt: z.number(),
  findings: z.array(findingSchema),
  blocking: z.boolean(),
});
export type FindingsResult = z.infer<typeof findingsResultSchema>;

/** The bundle is free JSON by design (it carries other rooms' settings); it is always redacted. */
export const bundleSchema = z.record(z.string(), z.unknown());

export const bundlePreviewSchema = z.object({
  previewId: z.string(),
  /** Exactly the object that bundleSave writes. */
  bundle: bundleSchema,
  /** Size of the JSON text in bytes. */
  jsonBytes: z.number().int(),
  /** How many values the redaction pass replaced, by kind ('mnemonic', 'address', …). */
  redactions: z.record(z.string(), z.number().int()),
});
export type BundlePreview = z.infer<typeof bundlePreviewSchema>;

export const diagnosticsChannels = {
  'diagnostics.snapshot': channel({
    doc: 'USB tree, active link statistics, last probe, recent errors: the facts behind the findings.',
    request: z.object({}),
    response: diagnosticsSnapshotSchema,
    errors: [],
  }),
  'diagnostics.findings': channel({
    doc: 'Plain-language findings (codes + facts + severity) computed from a fresh snapshot.',
    request: z.object({}),
    response: findingsResultSchema,
    errors: [],
  }),
  'diagnostics.frames': channel({
    doc: 'Frames from the log ring buffer after `afterSeq`, optionally filtered; newest last.',
    request: z.object({
      afterSeq: z.number().int().min(-1).default(-1),
      limit: z.number().int().min(1).max(2000).default(500),
      direction: frameDirection.optional(),
      /** Only frames that failed (checksum, framing …). */
      errorsOnly: z.boolean().default(false),
      /** Case-insensitive substring of hex, text, decoded or error code. */
      contains: z.string().max(200).optional(),
    }),
    response: z.object({ frames: z.array(frameEntrySchema), latestSeq: z.number().int(), droppedBefore: z.number().int() }),
    errors: [],
  }),
  'diagnostics.probe': channel({
    doc: 'Start an auto-probe of protocols and line settings; progress arrives as diagnostics.probeProgress.',
    request: z.object({ deviceId: z.string().min(1).max(200).nullable().default(null) }),
    response: probeReportSchema,
    errors: ['DIAG_PROBE_BUSY', 'DIAG_PROBE_UNAVAILABLE', 'DIAG_PROBE_DEVICE_IN_USE'],
  }),
  'diagnostics.probeCancel': channel({
    doc: 'Stop a running auto-probe; answers its report as it stands.',
    request: z.object({ probeId: z.string().min(1).max(100) }),
    response: probeReportSchema,
    errors: ['DIAG_PROBE_NOT_FOUND'],
  }),
  'diagnostics.bundlePreview': channel({
    doc: 'Build the redacted support bundle and show it: the returned object is exactly what bundleSave writes.',
    request: z.object({ frameMinutes: z.number().int().min(0).max(60).default(10) }),
    response: bundlePreviewSchema,
    errors: [],
  }),
  'diagnostics.bundleSave': channel({
    doc: 'Write a previewed bundle to a file (JSON or gzip-compressed JSON).',
    request: z.object({ previewId: z.string().min(1).max(100), gzip: z.boolean().default(true) }),
    response: z.object({ file: z.string(), bytes: z.number().int(), sha256: z.string() }),
    errors: ['DIAG_BUNDLE_PREVIEW_EXPIRED', 'DIAG_BUNDLE_WRITE_FAILED', 'DIAG_BUNDLE_CANCELLED'],
  }),
};

export const diagnosticsEvents = {
  'diagnostics.frame': event({ doc: 'A frame entered the frame log.', payload: frameEntrySchema }),
  'diagnostics.probeProgress': event({
    doc: 'An auto-probe attempt finished, or the probe ended (state is not running).',
    payload: probeReportSchema,
  }),
};
