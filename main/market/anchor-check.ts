import { fetchDayEvidence } from '../ledger/rpc/day-evidence.js';
import type { JsonRpcTransport } from '../ledger/rpc/json-rpc.js';
import { verifyDay } from '../ledger/verify/verify-day.js';

/**
 * Whether the operator's anchor of a meter-day is proven rather than merely reported: true when
 * the root is in EnergyLedger's storage by an EIP-1186 proof against a block whose header hash
 * checks and which is deep enough (the ledger issue's verifier, LEDGER.md check 3). A market
 * state never rests on an RPC's unproven word when this is wired.
 */
export type AnchorCheck = (meterId: string, day: number) => Promise<boolean>;

export function ledgerAnchorCheck(opts: { rpc: JsonRpcTransport; contract: string; minDepth: number }): AnchorCheck {
  return async (meterId, day) => {
    const evidence = await fetchDayEvidence({ rpc: opts.rpc, contract: opts.contract, meterId, day, minDepth: opts.minDepth });
    const report = await verifyDay({ meterId, day, evidence, handover: null, local: null, minDepth: opts.minDepth, resolutionWh: 0n });
    return report.steps.filter((s) => s.id === 'anchor' || s.id === 'header' || s.id === 'finality').every((s) => s.status === 'pass');
  };
}
