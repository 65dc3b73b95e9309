import type { Command } from '../command.js';
import { bill } from './bill.js';
import { historyExport } from './history-export.js';
import { historyImport } from './history-import.js';
import { diagnose } from './diagnose.js';
import { meterList } from './meter-list.js';
import { meterRead } from './meter-read.js';
import { meterDecode } from './meter-decode.js';
import { ledgerVerify } from './ledger-verify.js';
import { ledgerCheckpoint } from './ledger-checkpoint.js';
import { operator } from './operator.js';
import { operatorAnchor } from './operator-anchor.js';

/**
 * Every `wattlet` subcommand. Each issue adds its own file under commands/ and one line here.
 */
export const commands: readonly Command[] = [
  diagnose,
  meterList,
  meterRead,
  meterDecode,
  historyImport,
  historyExport,
  bill,
  ledgerVerify,
  ledgerCheckpoint,
  operator,
  operatorAnchor,
];
