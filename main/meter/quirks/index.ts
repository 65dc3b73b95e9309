/**
 * Meter quirks as data: the table of known firmware faults (quirk-table.ts), each with who has
 * it, what Wattlet does about it and its source, and the SML identity checks that apply them.
 * Pure TypeScript (the protocol decoders use it); a reading names the quirks applied to it.
 */
export * from './quirk-table.js';
export * from './sml-quirks.js';
