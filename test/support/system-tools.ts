import { detectFamily, isPresent, missingLine, REQUIREMENTS, type RequirementName } from '../../scripts/system/system-packages.mjs';

/**
 * Fails at once, naming each missing tool and the package that brings it
 * (`socat not found: sudo apt-get install socat`), where a test would otherwise wait for a process
 * that never started. `npm test` checks the whole list before it runs anything (scripts/test.ts);
 * this is for the files run on their own.
 */
export function requireSystemTools(...names: RequirementName[]): void {
  const family = detectFamily();
  const missing = REQUIREMENTS.filter((r) => names.includes(r.name) && !isPresent(r));
  if (missing.length > 0) throw new Error(missing.map((r) => missingLine(r, family)).join('\n'));
}
