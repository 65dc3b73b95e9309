// The CLI's own English (support staff and scripts at a terminal): typed errors explained, and the
// `wattlet diagnose` report. The UI's tables (renderer/i18n, en and zh-CN) are the renderer's.
export { diagnoseText } from './diagnose-text.js';
export { errorText } from './error-text.js';
export { fill } from './fill.js';
