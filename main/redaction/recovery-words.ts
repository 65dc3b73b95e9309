import { wordlists, type Wordlist } from 'ethers';
import type { TextSpan } from './text-span.js';

/**
 * Finds BIP-39 recovery words in free text, by the real word lists (English, and Chinese
 * simplified and traditional, whose words are single characters), not by the shape of a word:
 * ordinary prose uses list words too, so what decides is how many list words follow each other
 * and how they are joined.
 *
 * Latin-script words (English):
 *  - words are joined by anything that is not a letter and at most 16 characters long, so
 *    "1. word 2. word", "word-word", '["word", "word"]' and one word per line all chain;
 *  - 7 or more list words in a row are a phrase (a partial phrase is still a leak); 5 or more
 *    when every join is structure rather than a plain space (numbering, quotes and commas of an
 *    array, hyphens, new lines), because prose rarely joins five list words that way;
 *  - a word one typo away from a list word (one letter changed, added, dropped or swapped), or
 *    written as its unique 4-letter abbreviation (BIP-39's own guarantee, which metal backups
 *    use) or cut off after 4 letters or more, counts as part of the phrase, so a typo neither
 *    breaks the run nor survives it; text cut to a length may end in 2 or 3 letters of the next
 *    word, and those go with the phrase too.
 * Chinese (each word one character, often written without spaces):
 *  - 12 or more list characters joined by nothing or by ASCII spaces, digits or punctuation (a
 *    whole phrase, also in groups);
 *  - 5 or more list characters each set apart from the next (by spaces, commas, numbering).
 *  Chinese prose is made of the same common characters, so a long unbroken sentence is replaced
 *  too: over-redaction is accepted, a leak is not.
 */
export const PLAIN_RUN = 7;
export const STRUCTURED_RUN = 5;
export const CJK_BLOCK = 12;
export const CJK_SEPARATED = 5;
const MAX_GAP = 16;

interface LatinList {
  readonly words: ReadonlySet<string>;
  /** The word each unique 4-letter beginning stands for (BIP-39: the first 4 letters name the word). */
  readonly abbreviations: ReadonlyMap<string, string>;
  /** Every beginning of 2 or 3 letters of some word. */
  readonly shortStarts: ReadonlySet<string>;
  /** Every word and every word with one letter dropped: two strings one edit apart share an entry. */
  readonly oneEdit: ReadonlySet<string>;
}

let tables: { latin: LatinList; cjk: ReadonlySet<string>[]; seen: Map<string, WordClass> } | null = null;
// Log lines repeat the same words; their class is remembered (bounded) instead of recomputed.
const SEEN_MAX = 8192;

function listWords(list: Wordlist): string[] {
  return Array.from({ length: 2048 }, (_, i) => list.getWord(i));
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

function loadTables() {
  if (tables) return tables;
  const en = listWords(wordlists['en']!);
  const oneEdit = new Set<string>();
  for (const w of en) {
    oneEdit.add(w);
    for (const d of deletions(w)) oneEdit.add(d);
  }
  tables = {
    latin: {
      words: new Set(en),
      abbreviations: new Map(en.map((w) => [w.slice(0, 4), w])),
      shortStarts: new Set(en.flatMap((w) => [w.slice(0, 2), w.slice(0, 3)])),
      oneEdit,
    },
    cjk: [new Set(listWords(wordlists['zh_cn']!)), new Set(listWords(wordlists['zh_tw']!))],
    seen: new Map(),
  };
  return tables;
}

type WordClass = 'exact' | 'near' | 'other';

function classify(token: string, list: LatinList): WordClass {
  const w = token.toLowerCase();
  if (list.words.has(w)) return 'exact';
  // An abbreviation or a cut-off word ("olymp" of "olympic") names its word as surely.
  if (w.length >= 4 && list.abbreviations.get(w.slice(0, 4))?.startsWith(w)) return 'exact';
  // Short words are one edit from too many list words ("the" → "toe") to say anything.
  if (w.length < 4 || w.length > 9) return 'other';
  if (list.oneEdit.has(w)) return 'near';
  for (const d of deletions(w)) if (list.oneEdit.has(d)) return 'near';
  return 'other';
}

interface Token {
  readonly start: number;
  readonly end: number;
  readonly cls: WordClass;
  /** How this token is joined to the one before it. */
  readonly join: 'space' | 'structure' | 'break';
  /** The text joining it to the one before, digits folded ("2. " and "10. " alike). */
  readonly gap: string;
}

// JSON and log escapes (\n, \", \u00e9) are joins, not letters: a phrase one word per line is
// stored as "word\nword" in a JSON log line.
const LATIN_TOKEN = /\\(?:[nrtbfv"'\\/]|u[0-9a-fA-F]{4})|[A-Za-z]+/g;
const ESCAPE = /\\(?:[nrtbfv"'\\/]|u[0-9a-fA-F]{4})/g;

function joinOf(gap: string): Token['join'] {
  if (gap.length > MAX_GAP) return 'break';
  const bare = gap.replace(ESCAPE, ' ');
  if (/\p{L}/u.test(bare)) return 'break';
  return /^[ ]+$/.test(gap) ? 'space' : 'structure';
}

function classifyRemembered(token: string, list: LatinList, seen: Map<string, WordClass>): WordClass {
  let cls = seen.get(token);
  if (cls === undefined) {
    if (seen.size >= SEEN_MAX) seen.clear();
    cls = classify(token, list);
    seen.set(token, cls);
  }
  return cls;
}

function latinTokens(text: string, list: LatinList, seen: Map<string, WordClass>): Token[] {
  const tokens: Token[] = [];
  let prevEnd = -1;
  for (const m of text.matchAll(LATIN_TOKEN)) {
    if (m[0].startsWith('\\')) continue;
    const start = m.index;
    const gap = prevEnd < 0 ? '' : text.slice(prevEnd, start);
    const join = prevEnd < 0 ? 'break' : joinOf(gap);
    let cls = classifyRemembered(m[0], list, seen);
    // Text cut to a length ends mid-word: a short beginning of a list word there may be the rest
    // of a phrase, and joins it as a near word.
    const end = start + m[0].length;
    if (cls === 'other' && end === text.length && m[0].length <= 3 && list.shortStarts.has(m[0].toLowerCase())) cls = 'near';
    tokens.push({ start, end, cls, join, gap: gap.replace(/\d+/g, '9') });
    prevEnd = start + m[0].length;
  }
  return tokens;
}

/** A candidate phrase: consecutive list (or near-list) words. */
interface Piece {
  readonly from: number; // token index, inclusive
  readonly to: number; // token index, exclusive
  readonly exact: number;
  readonly near: number;
  readonly structured: boolean;
}

function piece(tokens: readonly Token[], from: number, to: number): Piece {
  let exact = 0;
  let near = 0;
  let structured = true;
  for (let i = from; i < to; i++) {
    if (tokens[i]!.cls === 'exact') exact++;
    else near++;
    if (i > from && tokens[i]!.join !== 'structure') structured = false;
  }
  return { from, to, exact, near, structured };
}

const qualifies = (p: Piece) => p.exact >= PLAIN_RUN || (p.structured && p.exact >= STRUCTURED_RUN);

/**
 * A near word at an edge belongs to the phrase only when it is joined the way the phrase's words
 * are ("…thank yelow" does; "words: Legal, winner, …" does not take "words").
 */
function trimEdges(tokens: readonly Token[], from: number, to: number): Piece {
  const gaps = new Map<string, number>();
  for (let i = from + 1; i < to; i++) gaps.set(tokens[i]!.gap, (gaps.get(tokens[i]!.gap) ?? 0) + 1);
  let usual = '';
  let most = 0;
  for (const [g, n] of gaps) if (n > most) [usual, most] = [g, n];
  let a = from;
  let b = to;
  while (b - a > 1 && tokens[a]!.cls === 'near' && tokens[a + 1]!.gap !== usual) a++;
  while (b - a > 1 && tokens[b - 1]!.cls === 'near' && tokens[b - 1]!.gap !== usual) b--;
  return piece(tokens, a, b);
}

/** Maximal runs [start, end) within [from, to) of tokens that `accept` takes, given the one before in the run. */
function runs(tokens: readonly Token[], from: number, to: number, accept: (t: Token, prev: Token | null) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = from;
  while (i < to) {
    if (!accept(tokens[i]!, null)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < to && accept(tokens[j]!, tokens[j - 1]!)) j++;
    out.push([i, j]);
    i = j;
  }
  return out;
}

/** Pieces of list words within one chain of joined tokens; a typo may sit inside or at an edge. */
function phrasesIn(tokens: readonly Token[], from: number, to: number): Piece[] {
  const found: Piece[] = [];
  // List words; a near word may not follow another near word.
  for (const [i, j] of runs(tokens, from, to, (t, prev) => t.cls !== 'other' && !(t.cls === 'near' && prev?.cls === 'near'))) {
    const whole = trimEdges(tokens, i, j);
    if (whole.near <= 1 + Math.floor(whole.exact / 6)) {
      if (qualifies(whole)) found.push(whole);
      continue;
    }
    // Too many near words to be one phrase with typos: only the runs of exact words count.
    for (const [k, e] of runs(tokens, i, j, (t) => t.cls === 'exact')) {
      const p = piece(tokens, k, e);
      if (qualifies(p)) found.push(p);
    }
  }
  return found;
}

/**
 * A word two or more typos away breaks the run in two; both halves of one phrase are still a
 * leak. Two stretches of list words around exactly one other word are one phrase when together
 * they are long enough that prose seldom is (one more word than a plain run needs).
 */
function bridged(tokens: readonly Token[], from: number, to: number): Piece[] {
  const stretches = runs(tokens, from, to, (t) => t.cls !== 'other').map(([i, j]) => piece(tokens, i, j));
  const found: Piece[] = [];
  for (let k = 0; k + 1 < stretches.length; k++) {
    const a = stretches[k]!;
    const b = stretches[k + 1]!;
    const gapWord = tokens[a.to]!;
    if (b.from !== a.to + 1 || gapWord.end - gapWord.start > 9) continue;
    if (a.exact < 3 || b.exact < 3 || a.exact + b.exact < PLAIN_RUN + 1) continue;
    if (a.near + b.near > 1 + Math.floor((a.exact + b.exact) / 6)) continue;
    found.push({ from: a.from, to: b.to, exact: a.exact + b.exact, near: a.near + b.near + 1, structured: false });
  }
  return found;
}

function latinSpans(text: string, list: LatinList, seen: Map<string, WordClass>): TextSpan[] {
  const tokens = latinTokens(text, list, seen);
  const spans: TextSpan[] = [];
  let chainStart = 0;
  for (let i = 1; i <= tokens.length; i++) {
    if (i < tokens.length && tokens[i]!.join !== 'break') continue;
    for (const p of [...phrasesIn(tokens, chainStart, i), ...bridged(tokens, chainStart, i)]) spans.push({ start: tokens[p.from]!.start, end: tokens[p.to - 1]!.end });
    chainStart = i;
  }
  return spans;
}

const CJK_CHAR = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;

function cjkSpans(text: string, list: ReadonlySet<string>): TextSpan[] {
  const spans: TextSpan[] = [];
  // Members of the list in order, with how each is joined to the previous member.
  type Member = { start: number; join: 'none' | 'ascii' | 'other' | 'break' };
  const members: Member[] = [];
  let prevEnd = -1;
  for (const m of text.matchAll(CJK_CHAR)) {
    const start = m.index;
    if (!list.has(m[0])) {
      // A character outside the list breaks any phrase.
      prevEnd = -1;
      continue;
    }
    let join: Member['join'];
    if (prevEnd < 0) join = 'break';
    else {
      const gap = text.slice(prevEnd, start);
      if (gap.length === 0) join = 'none';
      else if (gap.length > MAX_GAP || /\p{L}/u.test(gap.replace(ESCAPE, ' '))) join = 'break';
      else join = /^[\x00-\x7f]+$/.test(gap) ? 'ascii' : 'other';
    }
    members.push({ start, join });
    prevEnd = start + m[0].length;
  }
  // Two readings of the same members: runs joined by nothing or ASCII (whole phrases, groups),
  // and runs where every member is set apart (one word per space, comma or number).
  const scan = (accept: (j: Member['join']) => boolean, min: number) => {
    let from = 0;
    for (let i = 1; i <= members.length; i++) {
      if (i < members.length && accept(members[i]!.join)) continue;
      if (i - from >= min) spans.push({ start: members[from]!.start, end: members[i - 1]!.start + 1 });
      from = i;
    }
  };
  scan((j) => j === 'none' || j === 'ascii', CJK_BLOCK);
  scan((j) => j === 'ascii' || j === 'other', CJK_SEPARATED);
  return spans;
}

/** Where recovery words sit in `text` (spans may overlap; the redactor merges them). */
export function findRecoveryWords(text: string): TextSpan[] {
  const t = loadTables();
  const spans = /[A-Za-z]{3}/.test(text) ? latinSpans(text, t.latin, t.seen) : [];
  if (/[\u3400-\u9fff\uf900-\ufaff]/.test(text)) for (const list of t.cjk) spans.push(...cjkSpans(text, list));
  return spans;
}
