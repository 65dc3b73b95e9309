/**
 * npm run bench:verify — how fast a household (or a buyer, or an auditor) re-checks the ledger.
 *
 *  1. Interval proofs, in two orders, side by side in one run:
 *     - tree order: every interval of one meter-day after another (a household checking its days);
 *     - shuffled: a random region, meter, day and interval each time, no two proofs alike (a buyer
 *       or an auditor asking for one interval), so nothing from one proof helps the next.
 *     One "interval proof" = the leaf hash of (meterId, intervalStart, seconds, importWh, exportWh,
 *     salt) (two keccak256) and the fold of its path up to the meter-day root (7 sibling hashes in
 *     a 96-interval day), compared with that root. Its inputs were decoded to bytes once, on
 *     receipt; the region path above the meter-day root is measured separately (2.).
 *     Each order runs on the bytes verifier (verify/proof-verifier.ts) and on the hex path with
 *     the memo (tree/merkle-proof.ts processProof + leafHash), and on both keccak backends:
 *     hash-wasm's WebAssembly one and @noble/hashes' pure-JS one.
 *  2. The region path for a region of 1,000,000 meters: the meter-day leaf's hash and its path
 *     (about 20 siblings) up to the region-day root, shuffled; and the two together (interval proof
 *     + region path), the whole Merkle part of a household's proof under region anchors.
 *  3. Complete day verifications (steps b–d: leaves under the anchored root, EIP-1186 account and
 *     storage proofs against B's state root, B's header hash), from RPC answers recorded from a
 *     real Hardhat chain and replayed, so the network is not what is measured.
 * Targets: shuffled interval proofs ≥ 50,000 per CPU-second (issue 16); 365 complete day
 * verifications in under 1 s (issue 7). Rates are per CPU-second of this process
 * (process.cpuUsage), printed beside the load average and two yardsticks of the machine's speed
 * at that moment (a plain byte loop, one 64-byte keccak256): the machine is shared.
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
import { officialDay } from '../main/ledger/operator/official-day.js';
import { syntheticReadingSource } from '../main/ledger/operator/reading-source.js';
import { fetchDayEvidence, readChainHead } from '../main/ledger/rpc/day-evidence.js';
import { httpTransport, RecordingTransport, ReplayTransport } from '../main/ledger/rpc/json-rpc.js';
import { buildDayTree } from '../main/ledger/tree/day-tree.js';
import { leafHash, type SaltedInterval } from '../main/ledger/tree/interval-leaf.js';
import { equalBytes, processProof } from '../main/ledger/tree/merkle-proof.js';
import type { IntervalHandover } from '../main/ledger/tree/handover.js';
import type { RegionPath } from '../main/ledger/tree/region-path.js';
import { buildRegionTree, findRecord, REGION_RECORD_BYTES, RegionPartition, siblingIndexes } from '../main/ledger/tree/region-tree.js';
import { bytes, hex } from '../main/ledger/verify/bytes.js';
import { keccak256Into, keccakBackend, preferKeccak, ready as keccakReady } from '../main/ledger/verify/keccak.js';
import { equal32, packPath, ProofVerifier, type IntervalProofBytes, type MeterDayProofBytes } from '../main/ledger/verify/proof-verifier.js';
import { toProvenIntervals, verifyDay } from '../main/ledger/verify/verify-day.js';
import { seededRandom } from '../main/meter/sim/meters/seeded-random.js';

const out = (line: string) => process.stdout.write(line + '\n');
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

/** Runs `f` and answers its wall and CPU milliseconds. */
function measure<T>(f: () => T): { value: T; wallMs: number; cpuMs: number } {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = f();
  const u = process.cpuUsage(c);
  return { value, wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 };
}
async function measureAsync<T>(f: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const t = performance.now();
  const c = process.cpuUsage();
  const value = await f();
  const u = process.cpuUsage(c);
  return { value, wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 };
}

// ---- yardsticks: how fast the machine is right now ----

const yardBytes = new Uint8Array(1 << 20).map((_, i) => (i * 131) & 0xff);
/** A plain JS byte loop (sum of 1 MiB, 64 times): MiB per CPU-second, nothing but the CPU's share. */
function byteLoop(): number {
  const r = measure(() => {
    let s = 0;
    for (let k = 0; k < 64; k++) for (let i = 0; i < yardBytes.length; i++) s = (s + yardBytes[i]!) | 0;
    return s;
  });
  return 64 / (r.cpuMs / 1000);
}
const pair64 = new Uint8Array(64);
const node32 = new Uint8Array(32);
/** keccak256 of 64 bytes (one Merkle node) on the current backend, per CPU-second. */
function keccakRate(): number {
  for (let i = 0; i < 5_000; i++) keccak256Into(pair64, node32);
  const r = measure(() => {
    for (let i = 0; i < 100_000; i++) keccak256Into(pair64, node32);
  });
  return 100_000 / (r.cpuMs / 1000);
}
function yardsticks(tag: string): void {
  out(`  [${tag}] yardsticks: byte loop ${fmt(byteLoop())} MiB per CPU-second; keccak256(64 B) ${fmt(keccakRate())} per CPU-second (${keccakBackend()}); load average ${load()} on ${availableParallelism()} cores`);
}

// ---- synthetic data, deterministic ----

function randomFill(buf: Uint8Array, rnd: () => number): Uint8Array {
  for (let i = 0; i < buf.length; i += 4) {
    const x = (rnd() * 2 ** 32) >>> 0;
    buf[i] = x & 0xff;
    if (i + 1 < buf.length) buf[i + 1] = (x >>> 8) & 0xff;
    if (i + 2 < buf.length) buf[i + 2] = (x >>> 16) & 0xff;
    if (i + 3 < buf.length) buf[i + 3] = x >>> 24;
  }
  return buf;
}
const random32 = (rnd: () => number) => randomFill(new Uint8Array(32), rnd);

/** One proof as it reaches a verifier: as hex text (JSON) and as bytes decoded once on receipt. */
interface ProofCase {
  readonly meterIdHex: string;
  readonly iv: SaltedInterval;
  readonly proofHex: readonly string[];
  readonly rootHex: string;
  readonly bytes: IntervalProofBytes;
  readonly root: Uint8Array;
}

const REGIONS = 4;
const METERS_PER_REGION = 8;
const DAYS = 365;
const INTERVALS = 96;
const DAY0 = parseDay('2025-01-01')!;

/** The 96 intervals of one meter-day, a pure function of (region, meter, day). */
function meterDayIntervals(region: number, meter: number, day: number): SaltedInterval[] {
  const rnd = seededRandom(((region * 1_000 + meter) * 100_000 + day) ^ 0x5eed);
  const start = (DAY0 + day) * 86_400;
  return Array.from({ length: INTERVALS }, (_, k) => ({
    start: start + k * 900,
    seconds: 900,
    importWh: BigInt(Math.floor(rnd() * 900)),
    exportWh: BigInt(Math.floor(rnd() * 400)),
    salt: hex(random32(rnd)),
  }));
}
const meterIdHexOf = (region: number, meter: number) => meterIdOf(`BENCH-R${region}-M${meter}`);

/**
 * Proof cases for the given (region, meter, day, interval) tuples, in the given order. Each
 * meter-day's tree is built once (tree/day-tree.ts, the operator's builder) for all of its
 * tuples, then dropped.
 */
function proofCases(tuples: ReadonlyArray<readonly [number, number, number, number]>): ProofCase[] {
  const byDay = new Map<number, number[]>();
  tuples.forEach(([r, m, d], i) => {
    const key = (r * METERS_PER_REGION + m) * DAYS + d;
    const list = byDay.get(key);
    if (list) list.push(i);
    else byDay.set(key, [i]);
  });
  const cases = new Array<ProofCase>(tuples.length);
  for (const [key, indices] of byDay) {
    const d = key % DAYS;
    const rm = (key - d) / DAYS;
    const m = rm % METERS_PER_REGION;
    const r = (rm - m) / METERS_PER_REGION;
    const meterIdHex = meterIdHexOf(r, m);
    const ivs = meterDayIntervals(r, m, d);
    const tree = buildDayTree(meterIdHex, ivs);
    for (const i of indices) {
      const k = tuples[i]![3];
      const iv = ivs[k]!;
      const proofHex = tree.proof(k);
      cases[i] = {
        meterIdHex,
        iv,
        proofHex,
        rootHex: tree.root,
        root: bytes(tree.root),
        bytes: { meterId: bytes(meterIdHex), start: iv.start, seconds: iv.seconds, importWh: iv.importWh, exportWh: iv.exportWh, salt: bytes(iv.salt), path: packPath(proofHex) },
      };
    }
  }
  // Decoded on receipt, in the order they arrive: each proof's bytes are allocated in list order
  // (as a verifier fed from the network has them), not grouped by the tree they came from.
  return cases.map((c) => ({ ...c, root: c.root.slice(), bytes: { ...c.bytes, meterId: c.bytes.meterId.slice(), salt: c.bytes.salt.slice(), path: c.bytes.path.slice() } }));
}

// ---- 1. interval proofs, both orders ----

function intervalPass(label: string, cases: readonly ProofCase[], verifier: ProofVerifier, n: number): { fast: number; memo: number } {
  const slice = cases.slice(0, n);
  // Warm-up on other proofs than the measured ones (the memo must not start warm).
  const warm = cases.slice(cases.length - 2_000);
  for (const c of warm) verifier.verifyInterval(c.bytes, c.root);
  for (const c of warm) processProof(leafHash(c.meterIdHex, c.iv), c.proofHex);
  const fast = measure(() => {
    let ok = 0;
    for (const c of slice) if (verifier.verifyInterval(c.bytes, c.root)) ok++;
    return ok;
  });
  const memo = measure(() => {
    let ok = 0;
    for (const c of slice) if (equalBytes(processProof(leafHash(c.meterIdHex, c.iv), c.proofHex), c.root)) ok++;
    return ok;
  });
  const fastRate = slice.length / (fast.cpuMs / 1000);
  const memoRate = slice.length / (memo.cpuMs / 1000);
  out(`  [${keccakBackend()}] ${label.padEnd(10)} bytes verifier: ${fast.value}/${slice.length} valid, ${fmt(fastRate)} per CPU-second (${fmt(slice.length / (fast.wallMs / 1000))}/s wall)` +
    ` | hex + memo: ${memo.value}/${slice.length} valid, ${fmt(memoRate)} per CPU-second (${fmt(slice.length / (memo.wallMs / 1000))}/s wall)`);
  if (fast.value !== slice.length || memo.value !== slice.length) {
    out('  !! a faithful proof did not verify');
    process.exitCode = 1;
  }
  return { fast: fastRate, memo: memoRate };
}

// ---- the run ----

if (!(await keccakReady())) throw new Error('the WebAssembly keccak did not load');
out(`bench:verify on Node ${process.versions.node}, ${availableParallelism()} cores, load average ${load()} at start`);

// 1. interval proofs
const PROOFS = 100_000;
const NOBLE_PROOFS = 12_000;
let t = performance.now();
const rnd = seededRandom(16);
const treeTuples: Array<[number, number, number, number]> = [];
for (let key = 0; treeTuples.length < PROOFS + 2_000; key++) {
  const d = key % DAYS;
  const rm = Math.floor(key / DAYS);
  for (let k = 0; k < INTERVALS; k++) treeTuples.push([Math.floor(rm / METERS_PER_REGION) % REGIONS, rm % METERS_PER_REGION, d, k]);
}
const seen = new Set<number>();
const shuffledTuples: Array<[number, number, number, number]> = [];
while (shuffledTuples.length < PROOFS + 2_000) {
  const r = Math.floor(rnd() * REGIONS);
  const m = Math.floor(rnd() * METERS_PER_REGION);
  const d = Math.floor(rnd() * DAYS);
  const k = Math.floor(rnd() * INTERVALS);
  const id = ((r * METERS_PER_REGION + m) * DAYS + d) * INTERVALS + k;
  if (seen.has(id)) continue; // no interval twice
  seen.add(id);
  shuffledTuples.push([r, m, d, k]);
}
const treeCases = proofCases(treeTuples);
const shuffledCases = proofCases(shuffledTuples);
out(`setup: ${fmt(treeCases.length)} tree-order and ${fmt(shuffledCases.length)} shuffled proofs (${REGIONS} regions × ${METERS_PER_REGION} meters × ${DAYS} days × ${INTERVALS} intervals to draw from) in ${fmt(performance.now() - t)} ms`);
out('');
out('1. interval proofs: one = leaf hash (2 × keccak256 over 192 bytes/32 bytes) + the path to the meter-day root (7 siblings for 96 intervals) + compare; inputs already bytes, decoded once on receipt; the region path is not included (see 2.)');
const rates = new Map<string, { fast: number; memo: number }>();
for (const backend of ['wasm', 'noble'] as const) {
  preferKeccak(backend);
  if (keccakBackend() !== backend) throw new Error(`keccak backend is ${keccakBackend()}, not ${backend}`);
  const n = backend === 'wasm' ? PROOFS : NOBLE_PROOFS;
  const verifier = new ProofVerifier();
  rates.set(`${backend}:tree`, intervalPass('tree order', treeCases, verifier, n));
  rates.set(`${backend}:shuffled`, intervalPass('shuffled', shuffledCases, verifier, n));
  yardsticks(backend);
}
preferKeccak('wasm');
// The two orders again, back to back, so a change of load between the passes above shows.
const again = new ProofVerifier();
const tree2 = intervalPass('tree order', treeCases, again, PROOFS);
const shuffled2 = intervalPass('shuffled', shuffledCases, again, PROOFS);
const w = rates.get('wasm:tree')!;
const s = rates.get('wasm:shuffled')!;
out(`  summary (wasm, bytes verifier, two runs): tree order ${fmt(w.fast)} / ${fmt(tree2.fast)}, shuffled ${fmt(s.fast)} / ${fmt(shuffled2.fast)} interval proofs per CPU-second (target: shuffled ≥ 50,000);` +
  ` hex + memo path: tree order ${fmt(w.memo)}, shuffled ${fmt(s.memo)}`);
yardsticks('wasm');
out('');

// 2. the region path for 1,000,000 meters
const METERS = 1_000_000;
const TWO_LEVEL_METERS = 4_000;
out(`2. region path: a region of ${fmt(METERS)} meters, one day; one = the meter-day leaf's hash (2 × keccak256 over 192/32 bytes) + its path to the region-day root + compare`);
t = performance.now();
const regionRnd = seededRandom(1_000_000);
const regionDay = DAY0 + 200;
// The operator's build (tree/region-tree.ts): meter-day records in 4 partitions, one tree. A few
// thousand meters get a real 96-interval day (for the two-level pass); the rest a random day root.
const partitions = Array.from({ length: 4 }, () => new RegionPartition(regionDay, METERS / 4));
const realDays = new Map<string, IntervalProofBytes[]>();
const realMeters = new Set<number>();
while (realMeters.size < TWO_LEVEL_METERS) realMeters.add(Math.floor(regionRnd() * METERS));
const meterId = new Uint8Array(32);
const someRoot = new Uint8Array(32);
const someSalt = new Uint8Array(32);
for (let m = 0; m < METERS; m++) {
  randomFill(meterId, regionRnd);
  randomFill(someSalt, regionRnd);
  let importWh = BigInt(Math.floor(regionRnd() * 40_000));
  let exportWh = BigInt(Math.floor(regionRnd() * 20_000));
  if (realMeters.has(m)) {
    const id = meterId.slice();
    const ivs = meterDayIntervals(9, m, 200);
    const tree = buildDayTree(hex(id), ivs);
    someRoot.set(bytes(tree.root));
    importWh = ivs.reduce((a, iv) => a + iv.importWh, 0n);
    exportWh = ivs.reduce((a, iv) => a + iv.exportWh, 0n);
    realDays.set(hex(id), ivs.map((iv, k) => ({ meterId: id, start: iv.start, seconds: iv.seconds, importWh: iv.importWh, exportWh: iv.exportWh, salt: bytes(iv.salt), path: packPath(tree.proof(k)) })));
  } else randomFill(someRoot, regionRnd);
  partitions[m % 4]!.add(meterId, someRoot, importWh, exportWh, someSalt);
}
const region = buildRegionTree('0x' + '0e'.repeat(32), regionDay, partitions);
const regionRoot = bytes(region.root);
out(`  setup: ${fmt(METERS)} meter-day leaves hashed in 4 partitions and the region tree built (tree/region-tree.ts) in ${fmt(performance.now() - t)} ms; ${TWO_LEVEL_METERS} meters with a real 96-interval day`);
/** Record i of the built tree (sorted by meter id) as the household's proof, decoded to bytes. */
const R = REGION_RECORD_BYTES;
function meterDayCase(i: number): MeterDayProofBytes {
  const at = i * R;
  const rec = region.records;
  const siblings = siblingIndexes(region.treeIndex[i]!);
  const path = new Uint8Array(siblings.length * 32);
  siblings.forEach((k, j) => path.set(region.nodes.subarray(k * 32, k * 32 + 32), j * 32));
  const view = new DataView(rec.buffer, rec.byteOffset + at, R);
  return {
    meterId: rec.slice(at, at + 32),
    day: regionDay,
    meterDayRoot: rec.slice(at + 32, at + 64),
    importWh: view.getBigUint64(64),
    exportWh: view.getBigUint64(72),
    salt: rec.slice(at + 80, at + 112),
    path,
  };
}

const REGION_PATHS = 100_000;
const picked = new Set<number>();
const regionCases: MeterDayProofBytes[] = [];
while (regionCases.length < REGION_PATHS) {
  const i = Math.floor(regionRnd() * METERS);
  if (picked.has(i)) continue; // no meter twice
  picked.add(i);
  regionCases.push(meterDayCase(i));
}
const depth = regionCases.reduce((a, c) => a + c.path.length / 32, 0) / regionCases.length;
// Two levels: a random interval of a random one of the real meters, then that meter's region path.
const twoLevel: Array<{ interval: IntervalProofBytes; meterDay: MeterDayProofBytes }> = [];
const realList = [...realDays.keys()].map((id) => ({ id, record: findRecord(region.records, region.meters, bytes(id)) }));
const usedIntervals = new Set<string>();
while (twoLevel.length < 100_000) {
  const { id, record } = realList[Math.floor(regionRnd() * realList.length)]!;
  const k = Math.floor(regionRnd() * INTERVALS);
  if (usedIntervals.has(id + k)) continue; // no interval twice
  usedIntervals.add(id + k);
  twoLevel.push({ interval: realDays.get(id)![k]!, meterDay: meterDayCase(record) });
}
for (const backend of ['wasm', 'noble'] as const) {
  preferKeccak(backend);
  const v = new ProofVerifier();
  const n = backend === 'wasm' ? REGION_PATHS : NOBLE_PROOFS;
  for (const c of regionCases.slice(-2_000)) v.verifyMeterDay(c, regionRoot);
  const paths = measure(() => {
    let ok = 0;
    for (let i = 0; i < n; i++) if (v.verifyMeterDay(regionCases[i]!, regionRoot)) ok++;
    return ok;
  });
  const both = measure(() => {
    let ok = 0;
    for (let i = 0; i < n; i++) {
      const c = twoLevel[i]!;
      // The interval's path must end at the meter-day root its region leaf names, and that leaf under the region root.
      if (equal32(v.intervalRoot(c.interval), c.meterDay.meterDayRoot) && v.verifyMeterDay(c.meterDay, regionRoot)) ok++;
    }
    return ok;
  });
  const pathRate = n / (paths.cpuMs / 1000);
  const bothRate = n / (both.cpuMs / 1000);
  out(`  [${backend}] region paths (mean depth ${depth.toFixed(1)}), shuffled: ${paths.value}/${n} valid, ${fmt(pathRate)} per CPU-second = ${(1e6 / pathRate).toFixed(1)} µs CPU added to each household proof`);
  out(`  [${backend}] interval proof + region path (two levels), shuffled: ${both.value}/${n} valid, ${fmt(bothRate)} per CPU-second (${(1e6 / bothRate).toFixed(1)} µs each)`);
  if (paths.value !== n || both.value !== n) {
    out('  !! a faithful region proof did not verify');
    process.exitCode = 1;
  }
  yardsticks(backend);
}
preferKeccak('wasm');
out('');

// 3. complete day verifications from a real chain, per-meter anchors and region anchors
const days = Array.from({ length: DAYS }, (_, i) => DAY0 + i);
const accounts = demoAccounts(2);
const chain = await startLocalChain({ accounts: accounts.map((a) => ({ privateKey: a.privateKey, balanceWei: 10n ** 22n })) });
const provider = new JsonRpcProvider(chain.url, chain.chainId, { staticNetwork: true, pollingInterval: 20, cacheTimeout: -1 });
try {
  const admin = new Wallet(accounts[0]!.privateKey, provider);
  const contract = await deployEnergyLedger(admin, admin.address, admin.address);
  const address = await contract.getAddress();
  const ledger = energyLedgerAt(address, admin);
  const secret = '0x' + '42'.repeat(32);
  const source = syntheticReadingSource(3);

  // Per meter: the demo operator anchors the meter's own day roots.
  const meterId = meterIdOf('BENCH-METER');
  const operator = new DemoOperator({ contract: ledger, source, secret });
  await operator.registerMeter(meterId, accounts[1]!.address);
  t = performance.now();
  await operator.anchorDays(meterId, days);
  const perMeterSetup = performance.now() - t;
  const handovers = new Map<number, IntervalHandover>();
  for (const d of days) handovers.set(d, (await operator.handover(meterId, d))!);

  // Per region: my meter and 63 neighbours, one region root a day (tree/region-tree.ts).
  const regionId = '0x' + 'be'.repeat(32);
  const home = meterIdOf('BENCH-REGION-HOME');
  const regionMeters = [home, ...Array.from({ length: 63 }, (_, i) => meterIdOf(`BENCH-REGION-${i}`))];
  await (await ledger.getFunction('registerMetersInRegion')(regionMeters, regionMeters.map(() => accounts[1]!.address), regionId)).wait();
  t = performance.now();
  const regionHandovers = new Map<number, IntervalHandover>();
  const regionPaths = new Map<number, RegionPath>();
  for (const d of days) {
    const p = new RegionPartition(d, regionMeters.length);
    // My meter's real day; the neighbours' leaves carry random day roots (only their hashes reach me).
    const h = officialDay({ meterId: home, day: d, readings: await source.intervals(home, d), secret });
    regionHandovers.set(d, h);
    p.add(bytes(home), bytes(h.root), BigInt(h.importWh), BigInt(h.exportWh), random32(rnd));
    for (const m of regionMeters.slice(1)) p.add(bytes(m), random32(rnd), BigInt(Math.floor(rnd() * 9_000)), BigInt(Math.floor(rnd() * 4_000)), random32(rnd));
    const tree = buildRegionTree(regionId, d, [p]);
    await (await ledger.getFunction('anchorRegionDay')(regionId, d, tree.root, tree.meters, tree.importWh, tree.exportWh)).wait();
    regionPaths.set(d, tree.path(home)!);
  }
  out(`3. complete day verifications (b–d) of ${DAYS} days from replayed RPC answers; setup: anchored ${DAYS} days per meter in ${fmt(perMeterSetup)} ms, ${DAYS} region days of ${regionMeters.length} meters in ${fmt(performance.now() - t)} ms`);

  // Record the answers once (real endpoint), then replay them.
  const recorder = new RecordingTransport(httpTransport(chain.url));
  const head = await readChainHead(recorder);
  for (const d of days) {
    await fetchDayEvidence({ rpc: recorder, contract: address, meterId, day: d, minDepth: 0, chain: head });
    await fetchDayEvidence({ rpc: recorder, contract: address, meterId: home, day: d, minDepth: 0, chain: head, regionId });
  }
  const replay = new ReplayTransport(recorder.calls);
  const runYear = async (design: 'meter' | 'region') => {
    let passed = 0;
    for (const d of days) {
      const m = design === 'meter' ? meterId : home;
      const evidence = await fetchDayEvidence({ rpc: replay, contract: address, meterId: m, day: d, minDepth: 0, chain: head, ...(design === 'region' ? { regionId } : {}) });
      const r = await verifyDay({
        meterId: m,
        day: d,
        evidence,
        handover: (design === 'meter' ? handovers : regionHandovers).get(d)!,
        region: design === 'region' ? regionPaths.get(d)! : null,
        local: null,
        minDepth: 0,
        resolutionWh: 1n,
      });
      if (r.ok && r.design === design) passed++;
    }
    return passed;
  };

  const roots = new Map<string, string[]>();
  for (const backend of ['noble', 'wasm'] as const) {
    preferKeccak(backend);
    roots.set(backend, days.map((d) => buildDayTree(meterId, toProvenIntervals(handovers.get(d)!)).root));
    for (const design of ['meter', 'region'] as const) {
      await runYear(design); // warm-up
      const year = await measureAsync(() => runYear(design));
      out(`  [${backend}] ${design === 'meter' ? 'per-meter anchors' : 'region anchors   '}: ${year.value}/${DAYS} passed in ${fmt(year.wallMs)} ms wall (${fmt(year.cpuMs)} ms CPU) → ${fmt(DAYS / (year.wallMs / 1000))} days/s wall, ${fmt(DAYS / (year.cpuMs / 1000))} per CPU-second (target: ${DAYS} in < 1000 ms)`);
      if (year.value !== DAYS) process.exitCode = 1;
    }
    yardsticks(backend);
  }
  preferKeccak('wasm');
  const same = roots.get('noble')!.every((r, i) => r === roots.get('wasm')![i] && r === handovers.get(days[i]!)!.root.toLowerCase());
  out(`  day roots: noble and wasm ${same ? "identical, and equal to the operator's" : 'DIFFER'} for ${DAYS} days`);
  if (!same) process.exitCode = 1;
} finally {
  provider.destroy();
  await chain.dispose();
}
out('');
out(`verify: shuffled_per_cpu_s=${Math.round(Math.min(s.fast, shuffled2.fast))} tree_order_per_cpu_s=${Math.round(Math.min(w.fast, tree2.fast))} load=${load().split(' ')[0]}`);
