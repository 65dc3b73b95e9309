import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Interface, type InterfaceAbi } from 'ethers';

/** A contract whose calls the approval surface can decode. */
export interface KnownContract {
  readonly name: string;
  readonly iface: Interface;
}

/**
 * The app's own contracts, from the build artifacts (resources/contracts/build/*.json, each with
 * `contractName` and `abi`). A missing folder means no decoding, not an error: the surface then
 * shows the 4-byte selector and the data length.
 */
export function loadContractAbis(buildDir: string): KnownContract[] {
  let names: string[];
  try {
    names = readdirSync(buildDir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: KnownContract[] = [];
  for (const file of names) {
    try {
      const artifact = JSON.parse(readFileSync(join(buildDir, file), 'utf8')) as { contractName?: string; abi?: InterfaceAbi };
      if (artifact.abi) out.push({ name: artifact.contractName ?? file.replace(/\.json$/, ''), iface: new Interface(artifact.abi) });
    } catch {
      // A half-written artifact (the build is running) is skipped; decoding falls back to the selector.
    }
  }
  return out;
}
