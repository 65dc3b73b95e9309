import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { APPROVAL_PAGE_URL, MAIN_PAGE_URL } from '../../../main/app/app-origin.js';
import { guardNavigation } from '../../../main/app/navigation-guard.js';
import { WindowOrigins } from '../../../main/app/window-origins.js';

/**
 * The Electron runtime cannot run here, so the web contents is an event emitter that delivers
 * the same events with the same argument shapes (Electron 41: a details object carrying `url`
 * and `preventDefault`). What is under test is which of them the guard lets through.
 */
class Contents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  /** Emits `event` the way Electron does; answers whether the guard prevented it. */
  attempt(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string, isMainFrame = true): boolean {
    let prevented = false;
    this.emit(event, { url, isMainFrame, isSameDocument: false, frame: null, preventDefault: () => (prevented = true) }, url, false, isMainFrame);
    return prevented;
  }
}

function setup() {
  const origins = new WindowOrigins<object>();
  // As electron-main.ts wires it: every contents is guarded when created, pinned afterwards.
  const make = () => {
    const c = new Contents();
    guardNavigation(c as unknown as WebContents, (url) => origins.allows(c, url));
    return c;
  };
  return { origins, make };
}

const events = ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const;

describe('guardNavigation with exact app origins', () => {
  it('lets the main window move within wattlet-app://app and nowhere else', () => {
    const { origins, make } = setup();
    const main = make();
    origins.assign(main, 'app');
    for (const event of events) {
      expect(main.attempt(event, MAIN_PAGE_URL), event).toBe(false);
      expect(main.attempt(event, 'wattlet-app://app/index.html#/wallet'), event).toBe(false);
      for (const url of [
        APPROVAL_PAGE_URL,
        'wattlet-app://app.evil/index.html',
        'wattlet-app://app@evil/index.html',
        'wattlet-app://evil@app/index.html',
        'wattlet-app://app:1/index.html',
        'file:///opt/Wattlet/resources/app.asar/out/renderer-evil/index.html',
        'https://example.com/',
        'http://127.0.0.1:8545/',
        'data:text/html,hi',
        'javascript:alert(1)',
      ]) {
        expect(main.attempt(event, url), `${event} ${url}`).toBe(true);
      }
    }
  });

  it('keeps the approval window on its own page’s origin: it cannot be sent to the main window’s', () => {
    const { origins, make } = setup();
    const approval = make();
    origins.assign(approval, 'approval');
    for (const event of events) {
      expect(approval.attempt(event, APPROVAL_PAGE_URL), event).toBe(false);
      expect(approval.attempt(event, MAIN_PAGE_URL), event).toBe(true);
      expect(approval.attempt(event, 'https://example.com/approve.html'), event).toBe(true);
    }
  });

  it('refuses everything to a web contents nobody pinned (created later, devtools, anything unexpected)', () => {
    const { make } = setup();
    const stray = make();
    for (const event of events) {
      expect(stray.attempt(event, MAIN_PAGE_URL), event).toBe(true);
      expect(stray.attempt(event, APPROVAL_PAGE_URL), event).toBe(true);
    }
  });

  it('refuses subframe navigations off the origin too', () => {
    const { origins, make } = setup();
    const main = make();
    origins.assign(main, 'app');
    expect(main.attempt('will-frame-navigate', 'https://example.com/', false)).toBe(true);
  });

  it('denies every window.open, even to the app’s own origin, and every webview', () => {
    const { origins, make } = setup();
    const main = make();
    origins.assign(main, 'app');
    expect(main.openHandler?.({ url: MAIN_PAGE_URL })).toEqual({ action: 'deny' });
    expect(main.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    let prevented = false;
    main.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });
});

describe('WindowOrigins', () => {
  it('pins a contents to one origin for good', () => {
    const origins = new WindowOrigins<object>();
    const c = {};
    origins.assign(c, 'approval');
    origins.assign(c, 'approval');
    expect(() => origins.assign(c, 'app')).toThrow(/already belongs to approval/);
    expect(origins.allows(c, APPROVAL_PAGE_URL)).toBe(true);
    expect(origins.allows(c, MAIN_PAGE_URL)).toBe(false);
    expect(origins.allows({}, MAIN_PAGE_URL)).toBe(false);
  });
});
