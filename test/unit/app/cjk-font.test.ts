import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { builder } from '../../../electron.config.js';

// Chinese in the window needs a CJK font (issue 17): the deb asks the system for one, and the
// stylesheet names the families each platform ships, so nothing falls back to empty boxes.
describe('CJK fonts', () => {
  it('the deb depends on a CJK font beside electron-builder’s own dependencies', () => {
    const depends = builder.deb?.depends ?? [];
    expect(depends.some((d) => d.split('|').map((x) => x.trim()).includes('fonts-noto-cjk'))).toBe(true);
    // Setting `depends` replaces the builder's list: it must still be all there.
    const require = createRequire(import.meta.url);
    const FpmTarget = (require('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: { getDefaultDepends(t: string): string[] } } }).default;
    const defaults = FpmTarget.prototype.getDefaultDepends.call({}, 'deb');
    expect(defaults.length).toBeGreaterThan(5);
    for (const d of defaults) expect(depends).toContain(d);
  });

  it('the stylesheet falls back to a CJK family on Linux, macOS and Windows', () => {
    const css = readFileSync('renderer/styles/base.css', 'utf8');
    for (const family of ['Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei']) expect(css).toContain(`'${family}'`);
  });
});
