import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** How many words the backup check asks. */
export const BACKUP_POSITIONS = 3;

/**
 * Three distinct 1-based word positions, ascending. Asking for a few random words proves the
 * person wrote the phrase down without making them type all of it back. The positions are not
 * secret: they are fixed when the key is made (or the words are shown again) and kept with the
 * key, so asking again, or restarting the app, never yields a different set to probe.
 */
export function pickPositions(wordCount: number, random: (max: number) => number = randomInt): number[] {
  const picked = new Set<number>();
  while (picked.size < BACKUP_POSITIONS) picked.add(random(wordCount) + 1);
  return [...picked].sort((a, b) => a - b);
}

/**
 * True only when the answers name exactly the asked positions and every word matches (any
 * case, surrounding spaces ignored). The result is one bit on purpose: no answer says which
 * position was wrong, and every word is compared (fixed-length digests, constant-time compare,
 * no early exit), so neither the answer nor its timing depends on which word was tried.
 */
export function backupAnswersMatch(
  phrase: string,
  positions: readonly number[],
  answers: ReadonlyArray<{ position: number; word: string }>,
): boolean {
  const words = phrase.split(' ');
  const asked = [...positions].sort((a, b) => a - b);
  const given = [...answers].sort((a, b) => a.position - b.position);
  // Bitwise AND of 0/1, not &&: every position is compared whatever the earlier ones gave.
  let ok = Number(asked.length === given.length);
  for (let i = 0; i < asked.length; i++) {
    const answer = given[i];
    const expected = digest(words[(asked[i] ?? 0) - 1] ?? '');
    const typed = digest((answer?.word ?? '').trim().toLowerCase());
    ok &= Number(answer?.position === asked[i]);
    ok &= Number(timingSafeEqual(expected, typed));
  }
  return ok === 1;
}

function digest(word: string): Buffer {
  return createHash('sha256').update(word, 'utf8').digest();
}
