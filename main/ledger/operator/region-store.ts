import { mkdir, open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { WattletError } from '../../api/errors.js';
import { hexInto } from '../../common/hex.js';
import { formatDay } from '../day.js';
import type { RegionPath } from '../tree/region-path.js';
import { REGION_RECORD_BYTES, regionPathOf, siblingIndexes, type RegionTree } from '../tree/region-tree.js';

const manifestSchema = z.object({
  format: z.literal('wattlet.region-store/1'),
  regionId: z.string().regex(/^0x[0-9a-f]{64}$/),
  day: z.number().int().nonnegative(),
  date: z.string(),
  root: z.string().regex(/^0x[0-9a-f]{64}$/),
  meters: z.number().int().positive(),
  importWh: z.string().regex(/^\d+$/),
  exportWh: z.string().regex(/^\d+$/),
});
export type RegionStoreManifest = z.infer<typeof manifestSchema>;

/** Where one region-day's store lives under a store root: <root>/<regionId>/<YYYY-MM-DD>/. */
export function regionStoreDir(root: string, regionId: string, day: number): string {
  return join(root, regionId.toLowerCase(), formatDay(day));
}

/**
 * Writes a built region-day tree where households fetch their paths by meter id (the operator
 * serves this folder; demo mode reads it in-process):
 *   records.bin  the meter-day records sorted by meter id (tree/region-tree.ts, 144 bytes each)
 *   index.bin    each record's node index, uint32 little-endian
 *   nodes.bin    the tree, (2n − 1) × 32 bytes, node 0 the root
 *   manifest.json  written last: a folder without it is an interrupted write, never read
 * A household's path is a binary search over records.bin and ~log2(n) node reads: no file per
 * meter, a few hundred bytes read per fetch whatever the region's size.
 */
export async function writeRegionStore(dir: string, tree: RegionTree): Promise<RegionStoreManifest> {
  await mkdir(dir, { recursive: true });
  const index = new Uint8Array(tree.treeIndex.length * 4);
  const view = new DataView(index.buffer);
  tree.treeIndex.forEach((v, i) => view.setUint32(i * 4, v, true));
  await writeFile(join(dir, 'records.bin'), tree.records);
  await writeFile(join(dir, 'index.bin'), index);
  await writeFile(join(dir, 'nodes.bin'), tree.nodes);
  const manifest: RegionStoreManifest = {
    format: 'wattlet.region-store/1',
    regionId: tree.regionId,
    day: tree.day,
    date: formatDay(tree.day),
    root: tree.root,
    meters: tree.meters,
    importWh: tree.importWh.toString(),
    exportWh: tree.exportWh.toString(),
  };
  await writeFile(join(dir, 'manifest.json.tmp'), JSON.stringify(manifest, null, 2) + '\n');
  await rename(join(dir, 'manifest.json.tmp'), join(dir, 'manifest.json'));
  return manifest;
}

export interface RegionStore {
  readonly manifest: RegionStoreManifest;
  /** The household's region path; null when the meter is not in this region-day. */
  path(meterId: string): Promise<RegionPath | null>;
  close(): Promise<void>;
}

async function readAt(fh: FileHandle, buf: Uint8Array, position: number): Promise<void> {
  const { bytesRead } = await fh.read(buf, 0, buf.length, position);
  if (bytesRead !== buf.length) throw new WattletError('LEDGER_INTERVALS_UNREADABLE', 'The region store is truncated', { position });
}

/** Opens a region-day store written by `writeRegionStore` (null when there is none, or its write never finished). */
export async function openRegionStore(dir: string): Promise<RegionStore | null> {
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return null;
    throw e;
  }
  const parsed = manifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new WattletError('LEDGER_INTERVALS_UNREADABLE', `${dir} is not a region store`, { path: dir });
  const manifest = parsed.data;
  const [records, index, nodes] = await Promise.all(['records.bin', 'index.bin', 'nodes.bin'].map((f) => open(join(dir, f), 'r')));
  const n = manifest.meters;
  const record = new Uint8Array(REGION_RECORD_BYTES);
  const wanted = new Uint8Array(32);
  const word = new Uint8Array(4);
  return {
    manifest,
    async path(meterId) {
      if (!hexInto(meterId, wanted, 0, 32)) return null;
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        await readAt(records!, record, mid * REGION_RECORD_BYTES);
        let d = 0;
        for (let k = 0; k < 32 && d === 0; k++) d = record[k]! - wanted[k]!;
        if (d < 0) lo = mid + 1;
        else if (d > 0) hi = mid - 1;
        else {
          await readAt(index!, word, mid * 4);
          const treeIndex = new DataView(word.buffer).getUint32(0, true);
          const siblings = new Map<number, Uint8Array>();
          for (const k of siblingIndexes(treeIndex)) {
            const node = new Uint8Array(32);
            await readAt(nodes!, node, k * 32);
            siblings.set(k, node);
          }
          return regionPathOf({ regionId: manifest.regionId, day: manifest.day, root: manifest.root, meters: n, records: record, index: 0, treeIndex, node: (k) => siblings.get(k)! });
        }
      }
      return null;
    },
    async close() {
      await Promise.all([records!.close(), index!.close(), nodes!.close()]);
    },
  };
}

/**
 * A household's region paths from a store root for its region (demo mode, or an operator's
 * server answering by meter id): <root>/<regionId>/<YYYY-MM-DD>/.
 */
export function regionStorePaths(root: string, regionId: string): (meterId: string, day: number) => Promise<RegionPath | null> {
  return async (meterId, day) => {
    const store = await openRegionStore(regionStoreDir(root, regionId, day));
    if (!store) return null;
    try {
      return await store.path(meterId);
    } finally {
      await store.close();
    }
  };
}
