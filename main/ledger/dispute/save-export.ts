import { writeFile } from 'node:fs/promises';
import { WattletError } from '../../api/errors.js';

/** The desktop app's save dialog (compose-options' chooseSavePath); null answer = the person cancelled. */
export type ChooseSavePath = (suggestedName: string) => Promise<string | null>;

/**
 * A file the person chose for a pack or interval proof. Written readable by its user only: a pack
 * holds the salts that keep a day's consumption private, so who gets it is the household's choice.
 */
export async function saveExport(choose: ChooseSavePath | undefined, suggestedName: string, channel: string): Promise<{ write(text: string): Promise<{ file: string; bytes: number }> }> {
  if (!choose) throw new WattletError('NOT_AVAILABLE', 'No save dialog in this host: save the text the plain channel answers', { channel });
  const file = await choose(suggestedName);
  if (!file) throw new WattletError('LEDGER_EXPORT_CANCELLED', 'Saving was cancelled', {});
  return {
    async write(text) {
      const data = Buffer.from(text, 'utf8');
      try {
        await writeFile(file, data, { mode: 0o600 });
      } catch (e) {
        throw new WattletError('LEDGER_EXPORT_WRITE_FAILED', `Could not write ${file}`, { file, reason: e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e) });
      }
      return { file, bytes: data.length };
    },
  };
}
