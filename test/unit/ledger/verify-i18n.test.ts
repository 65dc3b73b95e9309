import { describe, expect, it } from 'vitest';
import { dayReportSchema, ledgerErrorCodes } from '../../../main/api/ledger.js';
import { stepOrder } from '../../../main/ledger/verify/report.js';
import { ledger as en } from '../../../renderer/i18n/en/ledger.js';
import { ledger as zh } from '../../../renderer/i18n/zh-CN/ledger.js';

// Every code a verification step can carry, and every step, reaches a person in both languages.
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the verifier in the UI tables', () => {
  it('translates every ledger and proof code in English and Chinese, with the same placeholders', () => {
    for (const code of ledgerErrorCodes) {
      expect(en.errors[code], code).toBeTruthy();
      expect(zh.errors[code], code).toBeTruthy();
      expect(placeholders(zh.errors[code]!), code).toEqual(placeholders(en.errors[code]!));
    }
    for (const code of ['PROOF_REGION_PATH', 'PROOF_REGION_MISMATCH', 'PROOF_WRONG_DAY', 'PROOF_DAY_TOTALS', 'LEDGER_NO_REGION_PATH']) {
      expect(ledgerErrorCodes as readonly string[]).toContain(code);
    }
  });

  it('names every step, and the report contract knows the same steps in the same order', () => {
    const steps = en.steps as Record<string, string>;
    const zhSteps = zh.steps as Record<string, string>;
    for (const id of stepOrder) {
      expect(steps[id], id).toBeTruthy();
      expect(zhSteps[id], id).toBeTruthy();
    }
    expect(dayReportSchema.shape.steps.element.shape.id.options).toEqual([...stepOrder]);
  });
});
