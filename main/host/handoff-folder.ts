import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where the browser host hands a secret address (the main window's launch URL with its token, an
 * approval page's one-time URL) to the person without putting it in any process's argv or on
 * stdout: a folder only this user can enter (0700), holding small HTML files only this user can
 * read (0600) that send the browser on to the address. The system opener is given the file's
 * path, which is no secret; anyone who could read the file could already read the whole data
 * folder.
 */
export class HandoffFolder {
  constructor(readonly dir: string) {}

  /**
   * Writes `<dir>/<name>.html` redirecting to `url` and returns its path. The file is made under a
   * fresh name with O_EXCL and 0600 and then renamed over the old one, so it is never readable by
   * others, not even for a moment, and never follows a link planted under its name.
   */
  write(name: string, url: string): string {
    this.#ensureDir();
    const file = this.path(name);
    const temp = join(this.dir, `.${name}-${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, redirectPage(url));
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    return file;
  }

  /** The path `write(name)` writes; no file need exist there. */
  path(name: string): string {
    return join(this.dir, `${name}.html`);
  }

  /** The same file as a file:// URL, for a line a terminal makes clickable. */
  fileUrl(name: string): string {
    return pathToFileURL(this.path(name)).href;
  }

  remove(name: string): void {
    rmSync(this.path(name), { force: true });
  }

  /** Removes every file in the folder: tokens of an earlier launch are dead and must not linger. */
  clear(): void {
    this.#ensureDir(); // never a link: clearing must not follow one into another folder
    for (const n of readdirSync(this.dir)) rmSync(join(this.dir, n), { force: true, recursive: true });
  }

  #ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const info = lstatSync(this.dir);
    // A link or a file in its place, or a folder someone else made, is not ours to write secrets in.
    if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) {
      throw new Error(`${this.dir} is not a folder of this user's; not writing the access address there`);
    }
    // mkdir's mode is masked by the umask and ignored for a folder that already existed.
    if ((info.mode & 0o777) !== 0o700) chmodSync(this.dir, 0o700);
  }
}

/** A page that only sends the browser on: no script, no referrer, nothing else to load. */
export function redirectPage(url: string): string {
  const href = escapeHtml(url);
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`,
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0; url=${href}">`,
    '<title>Wattlet</title></head>',
    // The browser follows the refresh at once; the link is for one that does not. The host does
    // not know the person's language before the window opens, so it says it in both.
    `<body><p><a href="${href}"><span lang="en">Open Wattlet</span> · <span lang="zh-CN">打开 Wattlet</span></a></p></body></html>`,
    '',
  ].join('\n');
}

/** The address a redirect page sends the browser to (what a test or a script reads back). */
export function redirectTarget(html: string): string | null {
  const m = /<meta http-equiv="refresh" content="0; url=([^"]*)">/.exec(html);
  return m ? unescapeHtml(m[1]!) : null;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
