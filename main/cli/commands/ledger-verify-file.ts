import { readFile } from 'node:fs/promises';
import { verifyDisputePack, verifyIntervalProof, type PackReport, type ReaderCheckpoint } from '../../ledger/dispute/verify-pack.js';
import { kWhText } from '../../ledger/dispute/pack-statement.js';
import type { CliIO } from '../command.js';
import { explainError } from '../explain-error.js';
import { UsageError } from '../usage-error.js';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A step line: mark, name, what it found, and the reason when it did not pass. */
function stepLine(s: PackReport['steps'][number]): string {
  const mark = s.status === 'pass' ? '✓' : s.status === 'fail' ? '✗' : '–';
  const why = s.status !== 'pass' && s.code ? `  ${explainError({ code: s.code, message: s.message, facts: {} })}` : '';
  return `  ${mark} ${s.id.padEnd(10)} ${s.message}${why}\n`;
}

/**
 * Where and by how much the operator's quarter-hours differ from my meter's, in kWh and UTC times
 * ("the operator has 0.410 kWh more imported between 18:00 and 18:15 UTC, in 1 quarter-hour").
 */
export function differenceText(differing: ReadonlyArray<{ subject: string; expected: string; actual: string }>): string {
  let imported = 0n;
  let exported = 0n;
  const starts = new Set<string>();
  let missing = 0;
  for (const c of differing) {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})Z (importWh|exportWh|interval)$/.exec(c.subject);
    if (!m) continue;
    starts.add(m[1]!);
    if (m[2] === 'interval') missing++;
    else if (/^\d+$/.test(c.expected) && /^\d+$/.test(c.actual)) {
      const d = BigInt(c.actual) - BigInt(c.expected);
      if (m[2] === 'importWh') imported += d;
      else exported += d;
    }
  }
  const sorted = [...starts].sort();
  const parts: string[] = [];
  const amount = (d: bigint, what: string) => `${kWhText(d < 0n ? -d : d)} kWh ${d < 0n ? 'less' : 'more'} ${what}`;
  if (imported !== 0n) parts.push(amount(imported, 'imported'));
  if (exported !== 0n) parts.push(amount(exported, 'exported'));
  if (missing) parts.push(`${missing} quarter-hour(s) on one side only`);
  if (!sorted.length) return `${differing.length} value(s) differ`;
  const end = new Date(Date.parse(sorted.at(-1)! + ':00Z') + 15 * 60_000).toISOString().slice(11, 16);
  return `the operator has ${parts.join(', ') || 'other values'} between ${sorted[0]!.slice(11)} and ${end} UTC, in ${sorted.length} quarter-hour(s)`;
}

/** The report in words, step by step, then the verdict or the refusal. */
export function packReportText(r: PackReport): string {
  let out = r.kind === 'dispute-pack' ? 'Dispute pack' : 'Interval proof';
  if (r.day) out += ` — meter ${r.day.meterId}, ${r.day.date}${r.interval ? `, quarter-hour ${r.interval.index}` : ''}`;
  out += '\n';
  for (const s of r.steps) out += stepLine(s);
  if (!r.ok) {
    out += `\nREFUSED at step ${r.refusedAt}: ${explainError({ code: r.code ?? 'PACK_MALFORMED', message: '', facts: {} })}\n`;
    const others = r.failed.filter((id) => id !== r.refusedAt);
    if (others.length) out += `Also failed: ${others.join(', ')}\n`;
    return out;
  }
  const mine = r.steps.find((s) => s.id === 'reader-checkpoint');
  const theirs = r.day?.checkpoint;
  const anchorNote = mine
    ? `${mine.message}.\n`
    : theirs
      ? `Note: the file's checkpoint (block ${theirs.number} ${theirs.hash}, pinned ${theirs.pinnedAt} from ${theirs.source.kind}${theirs.source.label ? ` (${theirs.source.label})` : ''}) is the household's own: compare it with a source of yours, or pass --checkpoint.\n`
      : "Note: nothing in the file ties it to the real chain (no checkpoint): pass --checkpoint with a block you hold.\n";
  if (r.kind === 'interval-proof' && r.interval) {
    const from = new Date(r.interval.start * 1000).toISOString().slice(11, 16);
    const to = new Date((r.interval.start + r.interval.seconds) * 1000).toISOString().slice(11, 16);
    out += `\nProven: ${from}–${to} UTC, ${kWhText(BigInt(r.interval.importWh))} kWh imported, ${kWhText(BigInt(r.interval.exportWh))} kWh exported, under the operator's anchor at block ${r.day?.block?.number}.\n`;
    return out + anchorNote;
  }
  const readings = r.day?.steps.find((s) => s.id === 'readings');
  const differing = readings?.comparisons.filter((c) => !c.ok) ?? [];
  const verdict =
    r.anchored === false
      ? `the operator has not anchored this day: its anchor is proven absent at block ${r.day?.block?.number}`
      : r.verdict === 'agrees'
      ? "my meter agrees with the operator's anchored record"
      : r.verdict === 'differs'
        ? `my meter differs from the operator's anchored record: ${differenceText(differing)}`
        : 'no readings of my meter in the pack to compare';
  out += `\nIntact: every link proven offline; signed by ${r.signer}, the meter's owner at block ${r.day?.block?.number}.\nVerdict: ${verdict}.\n`;
  return out + anchorNote;
}

/**
 * `wattlet ledger verify --pack FILE` / `--interval-proof FILE`: offline, from the file alone.
 * Exit 0: intact (the verdict printed); 1: refused, naming the step; 2: the file cannot be read.
 */
export async function verifyFile(
  args: { readonly pack?: string | undefined; readonly intervalProof?: string | undefined; readonly json?: boolean | undefined; readonly checkpoint?: ReaderCheckpoint | undefined },
  io: Pick<CliIO, 'stdout' | 'stderr'>,
): Promise<number> {
  const path = args.pack ?? args.intervalProof;
  if (!path || (args.pack && args.intervalProof)) throw new UsageError('give one of --pack FILE or --interval-proof FILE');
  let text: string;
  try {
    const data = await readFile(path);
    if (data.length > MAX_FILE_BYTES) throw new UsageError(`${path} is larger than ${MAX_FILE_BYTES} bytes`);
    text = data.toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined; // not JSON: refused at the format step, like any other file that is not one
  }
  const options = args.checkpoint ? { checkpoint: args.checkpoint } : {};
  const report = args.pack ? await verifyDisputePack(raw, options) : await verifyIntervalProof(raw, options);
  io.stdout(args.json ? JSON.stringify(report, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n' : packReportText(report));
  if (!report.ok) io.stderr(`wattlet: ${report.kind === 'dispute-pack' ? 'pack' : 'interval proof'} refused at step ${report.refusedAt}: ${explainError({ code: report.code ?? 'PACK_MALFORMED', message: '', facts: {} })}\n`);
  return report.ok ? 0 : 1;
}
