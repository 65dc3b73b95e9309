/** One series of a BucketChart: its name, a value per bucket, and whose colour it takes. */
export interface ChartSeries {
  readonly label: string;
  readonly values: ReadonlyArray<number | null>;
  /** import: the grid's colour; export: solar's. */
  readonly tone: 'import' | 'export';
}
