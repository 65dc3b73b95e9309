// Tariffs as data: the zod schema (isomorphic) and the library of built-in and user tariffs.
export * from './schema.js';
export * from './library.js';
