/**
 * Text that names or places the person: e-mail addresses, coordinates, and user names inside
 * home-folder paths (/home/<user>, /Users/<user>, C:\Users\<user>).
 */
export const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
export const GEO = /-?\d{1,2}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}/g;
export const USER_PATHS = [/(\/home\/)([^/\s"'\\]+)/g, /(\/Users\/)([^/\s"'\\]+)/g, /([A-Za-z]:\\{1,2}Users\\{1,2})([^\\\s"']+)/gi];

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The person's own names, known on this machine, as patterns that match them as whole words. */
export interface PersonalNames {
  readonly home: RegExp | null;
  readonly user: RegExp | null;
  readonly host: RegExp | null;
}

export function personalNames(ctx: { homeDir?: string | null; userName?: string | null; hostName?: string | null }, platform = process.platform): PersonalNames {
  const home = ctx.homeDir && ctx.homeDir.length > 1 ? ctx.homeDir.replace(/[\\/]+$/, '') : null;
  // Names shorter than 3 letters would shred unrelated words.
  const user = ctx.userName && ctx.userName.length >= 3 ? ctx.userName : null;
  const host = ctx.hostName && ctx.hostName.length >= 3 ? ctx.hostName : null;
  return {
    home: home ? new RegExp(escapeRegExp(home), platform === 'win32' ? 'gi' : 'g') : null,
    user: user ? new RegExp(`(?<![\\w])${escapeRegExp(user)}(?![\\w])`, 'gi') : null,
    host: host ? new RegExp(`(?<![\\w-])${escapeRegExp(host)}(?![\\w-])`, 'gi') : null,
  };
}
