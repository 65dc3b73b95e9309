/**
 * The household's measured export, from the history store (main/history owns it). Injected so the
 * market neither opens the database nor knows its roll-ups.
 */
export interface ExportHistory {
  /** Total exported Wh in [fromSeconds, toSeconds), or null when the store has no data for that span. */
  exportWh(fromSeconds: number, toSeconds: number): Promise<number | null>;
}
