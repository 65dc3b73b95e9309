// CSV: export of readings and intervals, import through a column mapping (all at once, or sent
// by the window in chunks with progress and cancel), a preview of how a mapping reads a file,
// exact decimals.
export * from './csv-export.js';
export * from './csv-import.js';
export * from './csv-file.js';
export * from './csv-import-session.js';
export * from './csv-line.js';
export * from './csv-preview.js';
export * from './decimal.js';
export * from './mapping.js';
