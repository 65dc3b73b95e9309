/** A stretch of a string, [start, end), that a detector found and the redactor replaces. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** Replace the spans (sorted, non-overlapping after merging) by what `replace` gives for each. */
export function replaceSpans(text: string, spans: readonly TextSpan[], replace: (span: TextSpan) => string): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let copied = 0;
  let current: { start: number; end: number } | null = null;
  const flush = () => {
    if (!current) return;
    out += text.slice(copied, current.start) + replace(current);
    copied = current.end;
  };
  for (const s of sorted) {
    if (current && s.start <= current.end) current.end = Math.max(current.end, s.end);
    else {
      flush();
      current = { start: s.start, end: s.end };
    }
  }
  flush();
  return out + text.slice(copied);
}
