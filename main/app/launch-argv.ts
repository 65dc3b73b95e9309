/**
 * Separates Wattlet's own options from what Electron, Node and Chromium read off the same
 * command line, and refuses a packaged app the switches that would let another local program
 * script it.
 *
 * The inspector (`--inspect`, `--inspect-brk`, `--inspect-port`, …) is what the
 * EnableNodeCliInspectArguments fuse turns off in a packaged build (electron.config.ts): there
 * Electron ignores it, and so that nobody believes it works, Wattlet refuses to start with it.
 * Chromium's remote debugging (`--remote-debugging-port`, `--remote-debugging-pipe`) has no fuse:
 * it would let any local program drive the approval window through the DevTools protocol, so a
 * packaged Wattlet refuses it too. In development both are allowed and are not Wattlet's options.
 */

/** Switches of the runtime, as Node and Chromium spell them (after normalising, see `switchName`). */
const inspector = ['inspect', 'inspect-brk', 'inspect-wait', 'inspect-port', 'inspect-publish-uid', 'debug', 'debug-brk', 'debug-port'];
const remoteDebugging = ['remote-debugging-port', 'remote-debugging-pipe', 'remote-debugging-address', 'remote-allow-origins'];
/** Those that may take their value as the next argument (`--inspect-port 9230`). */
const takesValue = new Set(['inspect-port', 'debug-port', 'inspect-publish-uid']);

export type LaunchArgv =
  | { readonly ok: true; readonly args: readonly string[] }
  | { readonly ok: false; readonly refused: readonly string[]; readonly message: string };

/**
 * The switch an argument names, the way its readers match it: Chromium accepts `-name` as well
 * as `--name` (and `/name` on Windows) and compares case-insensitively on Windows; Node accepts
 * `_` for `-`. Null for an argument that is not a switch.
 */
export function switchName(arg: string, platform: NodeJS.Platform): string | null {
  const m = /^(?:--?|\/)([A-Za-z][\w-]*)(?:=.*)?$/s.exec(arg);
  if (!m || (arg.startsWith('/') && platform !== 'win32')) return null;
  return m[1].toLowerCase().replaceAll('_', '-');
}

/**
 * `argv` is process.argv of the Electron main process: the executable, in development the app's
 * path (`electron out/main/electron.js …`, runtime switches may come before it), then Wattlet's
 * options. Answers Wattlet's options, or the switches a packaged app refuses.
 */
export function electronLaunchArgv(argv: readonly string[], packaged: boolean, platform: NodeJS.Platform = process.platform): LaunchArgv {
  const args: string[] = [];
  const refused: string[] = [];
  let appPathSeen = packaged;
  const rest = argv.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const name = switchName(arg, platform);
    if (name !== null && (inspector.includes(name) || remoteDebugging.includes(name))) {
      refused.push(arg);
      if (takesValue.has(name) && !arg.includes('=') && i + 1 < rest.length && !rest[i + 1].startsWith('-')) refused.push(rest[++i]);
      continue;
    }
    if (!appPathSeen && name === null) {
      appPathSeen = true;
      continue;
    }
    args.push(arg);
  }
  if (packaged && refused.length > 0) {
    return {
      ok: false,
      refused,
      message: `Wattlet does not start with ${refused.join(' ')}: debugging switches are turned off in the installed app, so no other program can script its windows.`,
    };
  }
  return { ok: true, args };
}
