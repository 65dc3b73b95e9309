// Pure helpers every room may use, in either process (VS Code's base/common): ES2022 and the web
// platform both processes share, nothing of Node or the DOM (tsconfig.isomorphic.json guards it).
export { fromHex, hexInto, toHex, toHexUpper } from './hex.js';
