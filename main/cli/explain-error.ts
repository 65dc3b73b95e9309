import type { ErrorShape } from '../api/errors.js';
import { errorText, fill } from './text/index.js';

/** A typed error in the CLI's words with its code, e.g. "No meter adapter matches "X". … [METER_DEVICE_NOT_FOUND]". */
export function explainError(e: ErrorShape): string {
  const template = errorText[e.code];
  return `${template ? fill(template, e.facts) : e.message} [${e.code}]`;
}
