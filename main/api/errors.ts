import { z } from 'zod';

/**
 * Errors cross every boundary as values with a stable code (the UI translates the code, never
 * the message) plus the facts a person or support engineer needs. The English message is for
 * logs and the CLI only.
 */
export type ErrorFacts = Record<string, string | number | boolean | null>;

export const errorShape = z.object({
  code: z.string(),
  message: z.string(),
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type ErrorShape = z.infer<typeof errorShape>;

export class WattletError<C extends string = string> extends Error {
  override readonly name = 'WattletError';
  constructor(
    readonly code: C,
    message: string,
    readonly facts: ErrorFacts = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): ErrorShape {
    return { code: this.code, message: this.message, facts: this.facts };
  }

  static from(shape: ErrorShape): WattletError {
    return new WattletError(shape.code, shape.message, shape.facts);
  }
}

/** ethers-style narrowing: `if (isError(e, 'METER_NO_USB_SUBSYSTEM')) …` */
export function isError<C extends string>(e: unknown, code?: C): e is WattletError<C> {
  return e instanceof WattletError && (code === undefined || e.code === code);
}

/** Codes every channel may answer with, whatever its domain. */
export const commonErrorCodes = [
  'REQUEST_INVALID', // the request failed its schema
  'CHANNEL_UNKNOWN',
  'INTERNAL', // a bug: the handler threw something that was not a WattletError
  'RESPONSE_INVALID', // a bug: the handler answered outside its schema
  'HOST_DISCONNECTED',
  'NOT_AVAILABLE', // the capability is not built into this host or mode
] as const;
