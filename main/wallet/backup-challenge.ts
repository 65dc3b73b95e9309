import { randomInt } from 'node:crypto';
import { WattletError } from '../api/errors.js';

/**
 * Three distinct 1-based word positions, ascending. Asking for a few random words proves the
 * person wrote the phrase down without making them type all of it back.
 */
export function pickPositions(wordCount: number, random: (max: number) => number = randomInt): number[] {
  const picked = new Set<number>();
  while (picked.size < 3) picked.add(random(wordCount) + 1);
  return [...picked].sort((a, b) => a - b);
}

/** Checks the answers against the phrase; a mismatch names the positions, never the words. */
export function checkBackupAnswers(
  phrase: string,
  positions: readonly number[],
  answers: ReadonlyArray<{ position: number; word: string }>,
  keyId: string,
): void {
  const words = phrase.split(' ');
  const asked = [...positions].sort((a, b) => a - b).join(',');
  const given = answers.map((a) => a.position).sort((a, b) => a - b).join(',');
  if (asked !== given) {
    throw new WattletError('WALLET_BACKUP_MISMATCH', `Answer the positions asked: ${asked}`, { keyId, positions: asked });
  }
  const wrong = answers
    .filter((a) => words[a.position - 1] !== a.word.trim().toLowerCase())
    .map((a) => a.position)
    .sort((a, b) => a - b);
  if (wrong.length) {
    throw new WattletError('WALLET_BACKUP_MISMATCH', `Words at positions ${wrong.join(', ')} do not match`, {
      keyId,
      positions: wrong.join(','),
    });
  }
}
