import type { Bill } from '../../history/bill/bill.js';
import { formatScaled } from '../../history/csv/decimal.js';
import type { Command } from '../command.js';
import { defineCommand } from '../define-command.js';
import { requireOptions } from '../usage-error.js';
import { openHistory, parseWhen } from './history-args.js';

const USAGE = `Usage: wattlet bill --from DATE --to DATE [--tariff ID] [--json] [--data-dir DIR]

The bill for a period from the stored history, line by line: energy per window and tier,
export credit, standing charges, taxes, total. --tariff defaults to the active tariff.
DATE: YYYY-MM-DD or YYYY-MM (household time), ISO 8601 with offset, or now; --to is exclusive.
`;

export function billTable(bill: Bill): string {
  const money = (minor: number) => formatScaled(minor, bill.minorUnitDigits);
  const kwh = (wh: number | null) => (wh === null ? '' : formatScaled(wh, 3));
  const rows: string[][] = [['line', 'kWh / qty', 'unit price', `amount ${bill.currency}`]];
  for (const l of bill.lines) {
    const qty = l.energyWh !== null ? kwh(l.energyWh) : l.kind === 'tax' ? money(l.quantity ?? 0) : String(l.quantity ?? '');
    // unit prices are milli-minor units (per kWh, day or month); taxes are basis points.
    const unit = l.kind === 'tax' ? `${formatScaled(l.unitPrice, 2)} %` : `${formatScaled(l.unitPrice, 3 + bill.minorUnitDigits)}`;
    rows.push([l.key, qty, unit, money(l.amount)]);
  }
  rows.push(['total', kwh(bill.importWh), '', money(bill.total)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = [fmt(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1, -1).map(fmt), widths.map((w) => '-'.repeat(w)).join('  '), fmt(rows.at(-1)!)];
  if (bill.coverage < 1000) lines.push(`readings cover ${formatScaled(bill.coverage, 1)} % of the period: energy is a lower bound`);
  return `${lines.join('\n')}\n`;
}

export const bill: Command = defineCommand({
  name: 'bill',
  summary: 'Compute the bill for a period under a tariff (table or JSON)',
  usage: USAGE,
  options: { tariff: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  async run({ values }, io) {
    requireOptions(values, ['from', 'to']);
    const service = openHistory(io, values['data-dir']);
    try {
      const cal = service.store.calendar;
      const now = service.now();
      const result = service.bill(parseWhen(values.from!, cal, now), parseWhen(values.to!, cal, now), values.tariff);
      io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : billTable(result));
      return 0;
    } finally {
      service.dispose();
    }
  },
});
