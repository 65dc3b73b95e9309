import { findSplitHex } from './hex-secrets.js';
import { findRecoveryWords } from './recovery-words.js';
import type { RedactionKind } from './redaction-kind.js';

// How sibling strings are joined for the scan: the way JSON writes an array of strings.
const JOIN = '", "';

/**
 * A secret spread over several values of one array or object: recovery words as an array of
 * strings (["legal", "winner", …]) or as numbered fields ({ "1": "legal", … }), a key cut into
 * strings. No value alone looks like anything; together they are the secret. Answers, for each
 * index of `values` that is part of one, what it is part of.
 */
export function siblingSecrets(values: readonly (string | null)[]): Map<number, RedactionKind> {
  const found = new Map<number, RedactionKind>();
  const present = values.filter((v) => v !== null).length;
  if (present < 2) return found;
  let text = '';
  const at: Array<{ index: number; start: number; end: number }> = [];
  values.forEach((v, index) => {
    if (v === null) return;
    if (text) text += JOIN;
    at.push({ index, start: text.length, end: text.length + v.length });
    text += v;
  });
  const mark = (spans: readonly { start: number; end: number }[], kind: RedactionKind) => {
    for (const s of spans) {
      // Only a secret that spans values is this pass's business; one inside a value is the string pass's.
      const touched = at.filter((p) => p.start < s.end && s.start < p.end);
      if (touched.length < 2) continue;
      for (const p of touched) if (!found.has(p.index)) found.set(p.index, kind);
    }
  };
  mark(findRecoveryWords(text), 'mnemonic');
  mark(findSplitHex(text), 'hex-secret');
  return found;
}
