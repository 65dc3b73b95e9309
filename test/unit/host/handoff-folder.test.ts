import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HandoffFolder, redirectPage, redirectTarget } from '../../../main/host/handoff-folder.js';

const dirs: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'wattlet-handoff-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('HandoffFolder', () => {
  it('writes a 0600 redirect page in a 0700 folder, whatever the umask, and reads back the address', () => {
    const folder = new HandoffFolder(join(temp(), 'data', 'handoff'));
    const old = process.umask(0o022);
    try {
      const url = 'http://127.0.0.1:1/#token=abc_DEF-123';
      const file = folder.write('launch', url);
      expect(file).toBe(folder.path('launch'));
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(folder.dir).mode & 0o777).toBe(0o700);
      expect(redirectTarget(readFileSync(file, 'utf8'))).toBe(url);
      expect(readdirSync(folder.dir)).toEqual(['launch.html']); // no temp file left
    } finally {
      process.umask(old);
    }
  });

  it('tightens a folder that existed with looser rights, and replaces an old file', () => {
    const dir = join(temp(), 'handoff');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(join(dir, 'approval.html'), 'old', { mode: 0o644 });
    const folder = new HandoffFolder(dir);
    folder.write('approval', 'http://127.0.0.1:1/approve/x');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'approval.html')).mode & 0o777).toBe(0o600);
  });

  it('refuses to write into or clear a link in the folder\'s place', () => {
    const root = temp();
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'keep.txt'), 'keep');
    symlinkSync(elsewhere, join(root, 'handoff'));
    const folder = new HandoffFolder(join(root, 'handoff'));
    expect(() => folder.write('launch', 'http://127.0.0.1:1/')).toThrow(/not a folder of this user/);
    expect(() => folder.clear()).toThrow(/not a folder of this user/);
    expect(readdirSync(elsewhere)).toEqual(['keep.txt']);
  });

  it('clear removes files of an earlier launch; remove takes one away', () => {
    const folder = new HandoffFolder(join(temp(), 'handoff'));
    folder.write('launch', 'http://127.0.0.1:1/#token=a');
    folder.write('approval', 'http://127.0.0.1:1/approve/b');
    folder.remove('approval');
    expect(readdirSync(folder.dir)).toEqual(['launch.html']);
    folder.clear();
    expect(readdirSync(folder.dir)).toEqual([]);
  });
});

describe('redirectPage', () => {
  it('escapes the address into the page and loads nothing else', () => {
    const html = redirectPage('http://127.0.0.1:1/"><script>x</script>&');
    expect(html).not.toContain('<script>');
    expect(redirectTarget(html)).toBe('http://127.0.0.1:1/"><script>x</script>&');
    expect(html).toContain(`content="default-src 'none'"`);
  });
});
