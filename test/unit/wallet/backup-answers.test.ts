import { describe, expect, it } from 'vitest';
import { backupAnswersMatch, pickPositions } from '../../../main/wallet/backup-challenge.js';

const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const words = PHRASE.split(' ');
const at = (p: number) => words[p - 1]!;

describe('backup answers', () => {
  it('match only when every asked word is right (any case, outer spaces ignored)', () => {
    const asked = [2, 7, 12];
    expect(backupAnswersMatch(PHRASE, asked, asked.map((position) => ({ position, word: at(position) })))).toBe(true);
    expect(backupAnswersMatch(PHRASE, asked, [12, 2, 7].map((position) => ({ position, word: ` ${at(position).toUpperCase()}\t` })))).toBe(true);
    for (let wrong = 0; wrong < 3; wrong++) {
      const answers = asked.map((position, i) => ({ position, word: i === wrong ? 'zoo' : at(position) }));
      expect(backupAnswersMatch(PHRASE, asked, answers)).toBe(false);
    }
  });

  it('do not match answers for other positions, missing or extra answers, or a word inside a word', () => {
    const asked = [2, 7, 12];
    expect(backupAnswersMatch(PHRASE, asked, [1, 7, 12].map((position) => ({ position, word: at(position) })))).toBe(false);
    expect(backupAnswersMatch(PHRASE, asked, [2, 7].map((position) => ({ position, word: at(position) })))).toBe(false);
    expect(backupAnswersMatch(PHRASE, asked, [2, 7, 12, 1].map((position) => ({ position, word: at(position) })))).toBe(false);
    expect(backupAnswersMatch(PHRASE, asked, asked.map((position) => ({ position, word: at(position).slice(0, 3) })))).toBe(false);
    expect(backupAnswersMatch(PHRASE, asked, asked.map((position) => ({ position, word: `${at(position)} x` })))).toBe(false);
  });

  it('picks three distinct positions within the phrase, ascending', () => {
    for (let i = 0; i < 200; i++) {
      const p = pickPositions(12);
      expect(p).toHaveLength(3);
      expect(new Set(p).size).toBe(3);
      expect([...p].sort((a, b) => a - b)).toEqual(p);
      expect(p.every((x) => x >= 1 && x <= 12)).toBe(true);
    }
  });
});
