/** Auto-detection of a meter's protocol and line settings on an open adapter. */
export * from './detect-attempt.js';
export * from './detect-candidates.js';
export * from './detect-meter.js';
