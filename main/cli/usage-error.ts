/**
 * What was typed is wrong: the command prints the message and its usage, and exits 2. The checks
 * below say what each option wants in the words the usage uses.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Every named option is given (values of a parse), or one UsageError names all that are missing. */
export function requireOptions(values: Readonly<Record<string, unknown>>, names: readonly string[]): void {
  const missing = names.filter((n) => values[n] === undefined || values[n] === '');
  if (missing.length) throw new UsageError(`missing --${missing.join(', --')}`);
}

/** A whole number within [min, max]. */
export function wholeNumber(text: string, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${option} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, got ${text}`);
  }
  return n;
}

/** A number above zero (fractions allowed: --seconds 0.5). */
export function positiveNumber(text: string, option: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${option} must be a number above 0, got ${text}`);
  return n;
}

/** One of a fixed set of words. */
export function oneOf<const T extends string>(text: string, option: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`--${option} must be ${choices.join(', ')}; got ${text}`);
  return text as T;
}
