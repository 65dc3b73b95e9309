// CSV: export of readings and intervals, import through a column mapping, exact decimals.
export * from './csv-export.js';
export * from './csv-import.js';
export * from './csv-line.js';
export * from './decimal.js';
export * from './mapping.js';
