import type { DisputePackBody } from './pack-format.js';

/** Wh as kWh with three decimals, from integers only (14390 → "14.390"). */
export function kWhText(wh: bigint): string {
  const neg = wh < 0n;
  const a = neg ? -wh : wh;
  return `${neg ? '-' : ''}${a / 1000n}.${(a % 1000n).toString().padStart(3, '0')}`;
}

function sum(rows: ReadonlyArray<{ importWh: string; exportWh: string }>): { importWh: bigint; exportWh: bigint } {
  return rows.reduce((s, r) => ({ importWh: s.importWh + BigInt(r.importWh), exportWh: s.exportWh + BigInt(r.exportWh) }), { importWh: 0n, exportWh: 0n });
}

/**
 * The words the household approves on the wallet's approval surface, signed as an EIP-191
 * personal message. Every line is derived from the pack's body, and the reader derives it again
 * and must find the same text: the person signed what the file holds, and the digest binds the
 * rest (every proof node, every salt) to it.
 */
export function packStatement(body: DisputePackBody, digest: string): string {
  const mine = body.readings ? sum(body.readings) : null;
  const handover = body.handover && typeof body.handover === 'object' ? (body.handover as { intervals?: unknown }) : null;
  const theirs = Array.isArray(handover?.intervals) ? sum(handover.intervals as Array<{ importWh: string; exportWh: string }>) : null;
  const c = body.checkpoint?.checkpoint;
  return [
    'Wattlet dispute pack',
    `Meter ${body.meterId}, day ${body.date} (UTC).`,
    mine ? `My meter: ${kWhText(mine.importWh)} kWh imported, ${kWhText(mine.exportWh)} kWh exported, in ${body.readings!.length} quarter-hours.` : 'My meter: no readings for this day.',
    theirs ? `The operator's intervals: ${kWhText(theirs.importWh)} kWh imported, ${kWhText(theirs.exportWh)} kWh exported.` : "The operator's intervals: none handed over.",
    `Ledger: chain ${body.chainId}, contract ${body.contract}, block ${body.evidence.blockNumber}.`,
    c ? `Checkpoint: block ${c.number} ${c.hash}, pinned on ${c.pinnedAt} from ${c.source.kind}${c.source.label ? ` (${c.source.label})` : ''}.` : 'Checkpoint: none pinned.',
    `Pack digest: ${digest}`,
  ].join('\n');
}
