import type { Snippet } from 'svelte';

/** Attributes a row or cell carries for styling and tests (data-*, class, title). */
export type Attributes = Record<string, string | number | boolean | null | undefined>;

/**
 * One column of a DataTable: its header and what every row shows in it. Headers are translated
 * text, so a component builds its columns in `$derived` and they follow the language.
 */
export interface Column<Row> {
  /** Stable within the table (the key of the header cell). */
  readonly id: string;
  readonly header: string;
  /** Numbers: right-aligned, tabular figures (base.css `.num`). */
  readonly numeric?: boolean;
  /** The cell that names its row (a date, a device, a bill line): a `<th scope="row">`. */
  readonly rowHeader?: boolean;
  /** The cell as plain text… */
  readonly text?: (row: Row) => string;
  /** …or as markup: a snippet of the component that owns the table. */
  readonly cell?: Snippet<[Row]>;
  /** Extra attributes of the cell (data-testid, data-wei, title, class). */
  readonly attributes?: (row: Row) => Attributes;
}
