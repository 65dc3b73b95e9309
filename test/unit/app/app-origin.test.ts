import { describe, expect, it } from 'vitest';
import { APPROVAL_PAGE_URL, appHostOf, isAppUrl, isExactPage, MAIN_PAGE_URL } from '../../../main/app/app-origin.js';

describe('isAppUrl: the main window may go only to exactly wattlet-app://app', () => {
  it.each([
    ['wattlet-app://app/index.html', true],
    ['wattlet-app://app/index.html#/history', true],
    ['wattlet-app://app/assets/index-abc.js', true],
    ['wattlet-app://app/', true],
    // the scheme is case-insensitive in the URL standard and Chromium lowercases it
    ['WATTLET-APP://app/index.html', true],
    // empty user info is no user info: the parser drops it, the URL is the app's own
    ['wattlet-app://:@app/index.html', true],
  ])('accepts %s', (url, expected) => expect(isAppUrl(url)).toBe(expected));

  it.each([
    // prefix tricks: what a startsWith() check let through
    ['wattlet-app://app.evil/index.html'],
    ['wattlet-app://appx/index.html'],
    ['wattlet-app://app-evil/'],
    ['wattlet-app://app./index.html'],
    // user info, either side of the host
    ['wattlet-app://app@evil/index.html'],
    ['wattlet-app://evil@app/index.html'],
    ['wattlet-app://user:pass@app/index.html'],
    // ports
    ['wattlet-app://app:443/index.html'],
    ['wattlet-app://app:0/'],
    // the other origin of the same scheme: the approval page is not the main window's
    ['wattlet-app://approval/approve.html'],
    // hosts Chromium would never hand over in this spelling, or that only look alike
    ['wattlet-app://APP/index.html'],
    ['wattlet-app://a%70p/index.html'],
    ['wattlet-app:app/index.html'],
    ['wattlet-app:///app/index.html'],
    ['wattlet-app://app\\evil/'],
    // other schemes
    ['file:///opt/Wattlet/resources/app.asar/out/renderer/index.html'],
    ['file:///opt/Wattlet/resources/app.asar/out/renderer-evil/index.html'],
    ['http://app/index.html'],
    ['https://app/index.html'],
    ['wattlet-appx://app/index.html'],
    ['wattlet://app/index.html'],
    ['data:text/html,<script>alert(1)</script>'],
    ['javascript:alert(1)'],
    ['blob:wattlet-app://app/6f1f0e0e-0000-4000-8000-000000000000'],
    ['about:blank'],
    ['devtools://devtools/bundled/inspector.html'],
    ['chrome://settings'],
    // not URLs at all
    [''],
    ['index.html'],
    ['//app/index.html'],
  ])('refuses %s', (url) => expect(isAppUrl(url)).toBe(false));
});

describe('appHostOf', () => {
  it('names the two app origins and nothing else', () => {
    expect(appHostOf(MAIN_PAGE_URL)).toBe('app');
    expect(appHostOf(APPROVAL_PAGE_URL)).toBe('approval');
    expect(appHostOf('wattlet-app://approvals/approve.html')).toBeNull();
    expect(appHostOf('wattlet-app://approval:1/approve.html')).toBeNull();
  });
});

describe('isExactPage: the approval IPC answers only the approval page itself', () => {
  it.each([
    [APPROVAL_PAGE_URL, true],
    [`${APPROVAL_PAGE_URL}#top`, true],
    [`${APPROVAL_PAGE_URL}?x=1`, false],
    [`${APPROVAL_PAGE_URL}?`, true], // an empty query is no query
    ['wattlet-app://approval/approve.html/', false],
    ['wattlet-app://approval/assets/approve.js', false],
    ['wattlet-app://approval/index.html', false],
    ['wattlet-app://app/approve.html', false],
    ['wattlet-app://approval.evil/approve.html', false],
    ['wattlet-app://x@approval/approve.html', false],
    ['file:///opt/Wattlet/resources/app.asar/out/renderer/approve.html', false],
    ['http://127.0.0.1:5173/approve.html', false],
  ])('%s → %s', (url, expected) => expect(isExactPage(url, APPROVAL_PAGE_URL)).toBe(expected));

  it('is never true for a page that is not on an app origin', () => {
    expect(isExactPage('https://example.com/approve.html', 'https://example.com/approve.html')).toBe(false);
  });
});
