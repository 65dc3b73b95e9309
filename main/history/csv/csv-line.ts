/**
 * RFC 4180 fields of one record. Returns null while a quoted field is still open (the record
 * continues on the next line), so callers join lines until it closes.
 */
export function parseCsvRecord(text: string, delimiter: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c !== '\r' || i !== text.length - 1) field += c;
    i++;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

/** One CSV field, quoted when it must be. */
export function csvField(value: string | number | null, delimiter = ','): string {
  if (value === null) return '';
  const s = String(value);
  return /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Lines of a text stream → records, joining lines inside quoted fields. */
export async function* csvRecords(lines: AsyncIterable<string>, delimiter: string): AsyncGenerator<{ line: number; fields: string[] }> {
  let pending = '';
  let startLine = 0;
  let n = 0;
  for await (const line of lines) {
    n++;
    if (pending === '') startLine = n;
    const text = pending === '' ? line : `${pending}\n${line}`;
    const fields = parseCsvRecord(text, delimiter);
    if (fields === null) {
      pending = text;
      continue;
    }
    pending = '';
    if (fields.length === 1 && fields[0].trim() === '') continue; // blank line
    yield { line: startLine, fields };
  }
  if (pending !== '') yield { line: startLine, fields: parseCsvRecord(`${pending}"`, delimiter) ?? [] };
}
