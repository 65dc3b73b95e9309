import { spawn } from 'node:child_process';

/** True where a person could see a browser window open. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (platform === 'win32' || platform === 'darwin') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Opens the default browser; a failure is not an error (the address is printed anyway). */
export function openBrowser(url: string, platform = process.platform): void {
  const [cmd, args] =
    platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener installed: the printed address is enough.
  }
}
