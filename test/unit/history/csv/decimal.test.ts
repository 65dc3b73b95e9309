import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsvRecord } from '../../../../main/history/csv/csv-line.js';
import { formatScaled, parseDecimalScaled } from '../../../../main/history/csv/decimal.js';

describe('parseDecimalScaled', () => {
  it('converts kWh text to Wh exactly, where floats would not', () => {
    expect(parseDecimalScaled('0.1', 3)).toEqual({ value: 100, rounded: false });
    expect(parseDecimalScaled('1.005', 3)).toEqual({ value: 1005, rounded: false }); // 1.005*1000 = 1004.999… in floats
    expect(parseDecimalScaled('12,3456', 3, ',')).toEqual({ value: 12346, rounded: true });
    expect(parseDecimalScaled('-0.0005', 3)).toEqual({ value: -1, rounded: true });
    expect(parseDecimalScaled('1 234.5', 3)).toEqual({ value: 1_234_500, rounded: false });
    expect(parseDecimalScaled('abc', 3)).toBeNull();
    expect(parseDecimalScaled('.', 3)).toBeNull();
    expect(parseDecimalScaled('99999999999999999', 3)).toBeNull(); // past 2^53 Wh: refused, not approximated
  });

  it('round-trips every integer through its decimal text', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), fc.integer({ min: 0, max: 6 }), (v, digits) => {
        return parseDecimalScaled(formatScaled(v, digits), digits)?.value === v;
      }),
    );
  });
});

describe('CSV records', () => {
  it('reads quoted fields with delimiters, quotes and line breaks, and writes them back', () => {
    expect(parseCsvRecord('a,"b,c","d ""e"""', ',')).toEqual(['a', 'b,c', 'd "e"']);
    expect(parseCsvRecord('a;"open', ';')).toBeNull();
    expect(parseCsvRecord('x;y\r', ';')).toEqual(['x', 'y']);
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 6 }), (fields) => {
        const line = fields.map((f) => csvField(f)).join(',');
        return JSON.stringify(parseCsvRecord(line, ',')) === JSON.stringify(fields);
      }),
    );
  });
});
