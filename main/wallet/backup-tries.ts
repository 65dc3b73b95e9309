import { z } from 'zod';

/**
 * Where one key's backup check stands, kept with the key in wallet.json until the backup is
 * confirmed. Nothing here is secret (positions say where to look, not what is there); it is on
 * disk so that restarting the app neither re-rolls the positions nor gives the tries back.
 */
export const backupStateSchema = z.object({
  positions: z.array(z.number().int().min(1).max(24)).length(3),
  /** Wrong answers since the positions were chosen. */
  failures: z.number().int().nonnegative(),
  /** When the last wrong answer came (ms since epoch). */
  lastFailureAt: z.number().int().nullable(),
});
export type BackupState = z.infer<typeof backupStateSchema>;

export interface BackupPolicy {
  /** Wrong answers allowed before the check refuses until the words are shown again. */
  readonly tries: number;
  /** delaysMs[i]: how long the check refuses after wrong answer i + 1 (growing). */
  readonly delaysMs: readonly number[];
}

/**
 * Three tries, then 5 s and 30 s between them: enough for a person who mistyped, useless for a
 * script (each guess must get all three words right at once: 2048³ ≈ 8.6 × 10⁹ candidates).
 */
export const BACKUP_POLICY: BackupPolicy = { tries: 3, delaysMs: [5_000, 30_000] };

export type BackupGate = { kind: 'open' } | { kind: 'tooSoon'; retryAt: number } | { kind: 'lockedOut' };

export function triesLeft(state: BackupState, policy: BackupPolicy): number {
  return Math.max(0, policy.tries - state.failures);
}

/** When a try is accepted again after the last wrong one; null when no wait applies. */
export function retryAt(state: BackupState, policy: BackupPolicy): number | null {
  if (state.failures === 0 || state.lastFailureAt === null || triesLeft(state, policy) === 0) return null;
  const delay = policy.delaysMs[Math.min(state.failures, policy.delaysMs.length) - 1] ?? 0;
  return state.lastFailureAt + delay;
}

/** Whether a try may be made now. A clock set back keeps the wait (now < retryAt), never ends it. */
export function backupGate(state: BackupState, now: number, policy: BackupPolicy): BackupGate {
  if (triesLeft(state, policy) === 0) return { kind: 'lockedOut' };
  const at = retryAt(state, policy);
  if (at !== null && now < at) return { kind: 'tooSoon', retryAt: at };
  return { kind: 'open' };
}
