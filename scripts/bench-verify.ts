/**
 * npm run bench:verify — how fast a household re-checks the ledger.
 *  1. interval Merkle proofs verified per second (leaf hash + OpenZeppelin processProof);
 *  2. complete day verifications per second: steps b–d (leaves under the anchored root, EIP-1186
 *     account + storage proofs against B's state root, B's header hash), from RPC answers recorded
 *     from a real Hardhat chain and replayed, so the network is not what is measured.
 * Targets (issue 7): 50,000 interval proofs/s; 365 complete verifications in under 1 s.
 * Both run twice in one process, on @noble/hashes' pure-JS keccak and on hash-wasm's WebAssembly
 * keccak (verify/keccak.ts), so the two are compared under the same load.
 * A script, never a timed test: it reports, it does not assert.
 */
import { JsonRpcProvider, Wallet } from 'ethers';
import { availableParallelism, loadavg } from 'node:os';
import { demoAccounts } from '../main/ledger/chain/demo-accounts.js';
import { deployEnergyLedger, energyLedgerAt } from '../main/ledger/chain/ledger-contract.js';
import { startLocalChain } from '../main/ledger/chain/local-chain.js';
import { meterIdOf } from '../main/ledger/chain/meter-id.js';
import { parseDay } from '../main/ledger/day.js';
import { DemoOperator } from '../main/ledger/operator/demo-operator.js';
import { syntheticReadingSource } from '../main/ledger/operator/reading-source.js';
import { fetchDayEvidence, readChainHead } from '../main/ledger/rpc/day-evidence.js';
import { httpTransport, RecordingTransport, ReplayTransport } from '../main/ledger/rpc/json-rpc.js';
import { buildDayTree } from '../main/ledger/tree/day-tree.js';
import { leafHash } from '../main/ledger/tree/interval-leaf.js';
import { equalBytes, processProof } from '../main/ledger/tree/merkle-proof.js';
import type { IntervalHandover } from '../main/ledger/tree/handover.js';
import { bytes } from '../main/ledger/verify/bytes.js';
import { keccak256, keccakBackend, preferKeccak, ready as keccakReady } from '../main/ledger/verify/keccak.js';
import { toProvenIntervals, verifyDay } from '../main/ledger/verify/verify-day.js';

const DAYS = 365;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};
const first = parseDay('2025-01-01')!;
const days = Array.from({ length: DAYS }, (_, i) => first + i);

const accounts = demoAccounts(2);
const chain = await startLocalChain({ accounts: accounts.map((a) => ({ privateKey: a.privateKey, balanceWei: 10n ** 22n })) });
const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
try {
  const admin = new Wallet(accounts[0]!.privateKey, provider);
  const contract = await deployEnergyLedger(admin, admin.address, admin.address);
  const address = await contract.getAddress();
  const meterId = meterIdOf('BENCH-METER');
  const source = syntheticReadingSource(3);
  const operator = new DemoOperator({ contract: energyLedgerAt(address, admin), source, secret: '0x' + '42'.repeat(32) });
  await operator.registerMeter(meterId, accounts[1]!.address);
  let t = performance.now();
  await operator.anchorDays(meterId, days);
  process.stdout.write(`setup: anchored ${DAYS} days in ${(performance.now() - t).toFixed(0)} ms\n`);

  const handovers = new Map<number, IntervalHandover>();
  for (const d of days) handovers.set(d, (await operator.handover(meterId, d))!);

  // Record the answers once (real endpoint), then replay them.
  const recorder = new RecordingTransport(httpTransport(chain.url));
  const head = await readChainHead(recorder);
  for (const d of days) await fetchDayEvidence({ rpc: recorder, contract: address, meterId, day: d, minDepth: 0, chain: head });
  const replay = new ReplayTransport(recorder.calls);

  const leaves = days.flatMap((d) => {
    const h = handovers.get(d)!;
    return toProvenIntervals(h).map((iv) => ({ iv, root: bytes(h.root) }));
  });
  const runYear = async () => {
    let passed = 0;
    for (const d of days) {
      const evidence = await fetchDayEvidence({ rpc: replay, contract: address, meterId, day: d, minDepth: 0, chain: head });
      const r = await verifyDay({ meterId, day: d, evidence, handover: handovers.get(d)!, local: null, minDepth: 0, resolutionWh: 1n });
      if (r.ok) passed++;
    }
    return passed;
  };

  // Side by side in one run: the same code on noble's pure-JS keccak, then on hash-wasm's.
  if (!(await keccakReady())) throw new Error('the WebAssembly keccak did not load');
  const roots = new Map<string, string[]>();
  for (const backend of ['noble', 'wasm'] as const) {
    preferKeccak(backend);
    if (keccakBackend() !== backend) throw new Error(`keccak backend is ${keccakBackend()}, not ${backend}`);
    roots.set(backend, days.map((d) => buildDayTree(meterId, toProvenIntervals(handovers.get(d)!)).root));

    // 1. interval proofs
    for (let i = 0; i < 2000; i++) processProof(leafHash(meterId, leaves[i]!.iv), leaves[i]!.iv.proof!); // warm-up
    t = performance.now();
    let cpu = process.cpuUsage();
    let ok = 0;
    for (const { iv, root } of leaves) if (equalBytes(processProof(leafHash(meterId, iv), iv.proof!), root)) ok++;
    const proofMs = performance.now() - t;
    let cpuMs = cpuMsSince(cpu);
    process.stdout.write(
      `[${backend}] interval proofs: ${ok}/${leaves.length} valid in ${proofMs.toFixed(0)} ms wall (${cpuMs.toFixed(0)} ms CPU) → ` +
        `${rate(leaves.length, proofMs)} proofs/s wall, ${rate(leaves.length, cpuMs)} per CPU-second (target 50,000)\n`,
    );

    // 2. complete day verifications (b–d), from the recording
    await runYear(); // warm-up
    t = performance.now();
    cpu = process.cpuUsage();
    const passed = await runYear();
    const yearMs = performance.now() - t;
    cpuMs = cpuMsSince(cpu);
    process.stdout.write(
      `[${backend}] complete day verifications (b–d): ${passed}/${DAYS} passed in ${yearMs.toFixed(0)} ms wall (${cpuMs.toFixed(0)} ms CPU) → ` +
        `${rate(DAYS, yearMs)} days/s wall, ${rate(DAYS, cpuMs)} per CPU-second (target: ${DAYS} in < 1000 ms)\n`,
    );

    // The machine's own speed, for reading the numbers above: one 64-byte keccak256.
    const pair = new Uint8Array(64);
    for (let i = 0; i < 5_000; i++) keccak256(pair);
    t = performance.now();
    cpu = process.cpuUsage();
    for (let i = 0; i < 50_000; i++) keccak256(pair);
    process.stdout.write(
      `[${backend}] keccak256(64 bytes) ${rate(50_000, performance.now() - t)}/s wall, ${rate(50_000, cpuMsSince(cpu))} per CPU-second; ` +
        `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores\n`,
    );
  }
  preferKeccak('wasm');
  const same = roots.get('noble')!.every((r, i) => r === roots.get('wasm')![i] && r === handovers.get(days[i]!)!.root.toLowerCase());
  process.stdout.write(`day roots: noble and wasm ${same ? 'identical, and equal to the operator\'s' : 'DIFFER'} for ${DAYS} days\n`);
  if (!same) process.exitCode = 1;
} finally {
  provider.destroy();
  await chain.dispose();
}
