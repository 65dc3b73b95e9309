import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The user's data folder, the same place Electron's app.getPath('userData') gives for an app
 * named Wattlet, so the browser host and the desktop app share one history and one settings file.
 */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = process.env, platform = process.platform): string {
  if (env.WATTLET_DATA_DIR) return env.WATTLET_DATA_DIR;
  const home = env.HOME ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Wattlet');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Wattlet');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Wattlet');
}
