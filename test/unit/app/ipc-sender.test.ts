import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { isAppUrl, MAIN_PAGE_URL } from '../../../main/app/app-origin.js';
import { isTrustedSender, senderFacts } from '../../../main/app/ipc-sender.js';

// Shapes of Electron's IpcMainInvokeEvent (sender, senderFrame, sender.mainFrame) as plain objects.
type Event = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;
const asEvent = (e: unknown) => e as Event;

describe('senderFacts', () => {
  const mainFrame = { url: MAIN_PAGE_URL };
  const sender = { mainFrame };

  it('reads the contents, whether the frame is the top one, and its URL', () => {
    expect(senderFacts(asEvent({ sender, senderFrame: mainFrame }))).toEqual({ contents: sender, topFrame: true, url: MAIN_PAGE_URL });
    const iframe = { url: MAIN_PAGE_URL };
    expect(senderFacts(asEvent({ sender, senderFrame: iframe }))).toEqual({ contents: sender, topFrame: false, url: MAIN_PAGE_URL });
  });

  it('gives nothing for a frame that is gone or that throws when read (a disposed frame)', () => {
    expect(senderFacts(asEvent({ sender, senderFrame: null }))).toBeNull();
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(senderFacts(asEvent({ sender: { mainFrame: disposed }, senderFrame: disposed }))).toBeNull();
  });
});

describe('isTrustedSender', () => {
  const win = { id: 'main window contents' };
  const other = { id: 'approval window contents' };
  const ok = { contents: win, topFrame: true, url: MAIN_PAGE_URL };

  it.each([
    ['the main window’s top frame on the app origin', ok, win, true],
    ['another window', { ...ok, contents: other }, win, false],
    ['an iframe of the main window', { ...ok, topFrame: false }, win, false],
    ['a frame gone', null, win, false],
    ['no main window', ok, null, false],
    ['a page on a look-alike origin', { ...ok, url: 'wattlet-app://app.evil/index.html' }, win, false],
    ['a page on the old file:// prefix’s neighbour', { ...ok, url: 'file:///opt/Wattlet/out/renderer-evil/index.html' }, win, false],
    ['the approval origin', { ...ok, url: 'wattlet-app://approval/approve.html' }, win, false],
    ['data:', { ...ok, url: 'data:text/html,x' }, win, false],
  ])('%s → %s', (_name, facts, expected, trusted) => {
    expect(isTrustedSender(facts, expected, isAppUrl)).toBe(trusted);
  });
});
