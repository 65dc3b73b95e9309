import { spawn } from 'node:child_process';
import { isAbsolute } from 'node:path';

/** True where a person could see a browser window open. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (platform === 'win32' || platform === 'darwin') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Opens a local file (a handoff page, see HandoffFolder) with the system's opener, which shows it
 * in the default browser. Only a file path is accepted: a process's argv is readable by every user
 * of the machine, so an address with a token must never be passed here. True when the opener was
 * started; a failure is not an error (the terminal shows the file's location anyway).
 */
export function openFile(path: string, platform = process.platform): boolean {
  if (!isAbsolute(path) || path.includes('://')) throw new Error('openFile takes an absolute file path, never an address');
  const [cmd, args] =
    platform === 'win32' ? ['cmd', ['/c', 'start', '', path]] : platform === 'darwin' ? ['open', [path]] : ['xdg-open', [path]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false; // no opener installed: the printed location is enough
  }
}
