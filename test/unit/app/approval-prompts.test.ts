import { describe, expect, it } from 'vitest';
import type { ApprovalView } from '../../../main/api/wallet.js';
import { APPROVAL_PAGE_URL, MAIN_PAGE_URL } from '../../../main/app/app-origin.js';
import { ApprovalPrompts, type PromptWindow } from '../../../main/app/approval-prompts.js';
import type { SenderFacts } from '../../../main/app/ipc-sender.js';

/**
 * A window the way approval-window.ts adapts Electron's BrowserWindow (the runtime cannot run
 * here): it records what it was asked to do and lets the test fire its events.
 */
class FakeWindow implements PromptWindow<object> {
  readonly contents = {};
  readonly calls: string[] = [];
  loaded: string | null = null;
  destroyed = false;
  minimized = false;
  #ready: Array<() => void> = [];
  #closed: Array<() => void> = [];
  constructor(private readonly loadResult: Promise<void> = Promise.resolve()) {}
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  restore = () => {
    this.calls.push('restore');
    this.minimized = false;
  };
  show = () => void this.calls.push('show');
  focus = () => void this.calls.push('focus');
  close = () => {
    this.calls.push('close');
    this.userClosed();
  };
  onceReadyToShow = (l: () => void) => void this.#ready.push(l);
  onClosed = (l: () => void) => void this.#closed.push(l);
  load = (url: string) => {
    this.loaded = url;
    return this.loadResult;
  };
  ready(): void {
    for (const l of this.#ready.splice(0)) l();
  }
  /** The person closes the window (or Electron closes it): it is destroyed, then 'closed' fires. */
  userClosed(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const l of this.#closed) l();
  }
}

const view: ApprovalView = { kind: 'message', id: 'req-1', from: `0x${'11'.repeat(20)}`, createdAt: 1, expiresAt: 2, text: 'hello', hex: '0x68656c6c6f' };

function setup(loadResult?: Promise<void>) {
  const windows: FakeWindow[] = [];
  const prompts = new ApprovalPrompts<object>(() => {
    const w = new FakeWindow(loadResult);
    windows.push(w);
    return w;
  });
  return { prompts, windows };
}

const page = (win: FakeWindow, over: Partial<SenderFacts<object>> = {}): SenderFacts<object> => ({ contents: win.contents, topFrame: true, url: APPROVAL_PAGE_URL, ...over });

describe('ApprovalPrompts: Electron’s approval surface', () => {
  it('opens a hidden window on the approval page and shows it once it is ready', async () => {
    const { prompts, windows } = setup();
    void prompts.surface.present(view, new AbortController().signal);
    const [win] = windows;
    expect(win.loaded).toBe(APPROVAL_PAGE_URL);
    expect(win.calls).toEqual([]);
    win.ready();
    expect(win.calls).toEqual(['show', 'focus']);
  });

  it('answers the request and takes the decision only from that window’s top frame on the exact page', async () => {
    const { prompts, windows } = setup();
    const decided = prompts.surface.present(view, new AbortController().signal);
    const [win] = windows;
    const mainWindow = {};
    for (const [name, sender] of [
      ['the main window', { contents: mainWindow, topFrame: true, url: MAIN_PAGE_URL }],
      ['the main window on the approval URL', { contents: mainWindow, topFrame: true, url: APPROVAL_PAGE_URL }],
      ['an iframe of the approval window', page(win, { topFrame: false })],
      ['the approval window on another page', page(win, { url: MAIN_PAGE_URL })],
      ['the approval page with a query', page(win, { url: `${APPROVAL_PAGE_URL}?id=req-1` })],
      ['the approval page on file://', page(win, { url: 'file:///opt/Wattlet/out/renderer/approve.html' })],
      ['a frame that is gone', null],
    ] as const) {
      expect(prompts.request(sender), name).toBeNull();
      expect(prompts.decide(sender, 'req-1', 'approve'), name).toBe(false);
    }
    expect(prompts.request(page(win))).toEqual(view);
    // The decision names the request the page was given, and is one of two words.
    expect(prompts.decide(page(win), 'req-2', 'approve')).toBe(false);
    expect(prompts.decide(page(win), 'req-1', 'yes')).toBe(false);
    expect(prompts.decide(page(win), 'req-1', 'approve')).toBe(true);
    expect(await decided).toBe('approve');
    expect(win.calls).toContain('close');
    // Once decided, the window answers nothing more.
    expect(prompts.request(page(win))).toBeNull();
    expect(prompts.decide(page(win), 'req-1', 'reject')).toBe(false);
  });

  it('closing the window is a rejection, never an approval', async () => {
    const { prompts, windows } = setup();
    const decided = prompts.surface.present(view, new AbortController().signal);
    windows[0].userClosed();
    expect(await decided).toBe('reject');
    expect(prompts.decide(page(windows[0]), 'req-1', 'approve')).toBe(false);
  });

  it('an abort (timeout, lock) rejects and closes the window', async () => {
    const { prompts, windows } = setup();
    const abort = new AbortController();
    const decided = prompts.surface.present(view, abort.signal);
    abort.abort();
    expect(await decided).toBe('reject');
    expect(windows[0].calls).toContain('close');
    expect(windows[0].destroyed).toBe(true);
  });

  it('a page that fails to load is a rejection', async () => {
    const { prompts } = setup(Promise.reject(new Error('ERR_FILE_NOT_FOUND')));
    expect(await prompts.surface.present(view, new AbortController().signal)).toBe('reject');
  });

  it('reveal() is false when no approval waits, and raises the waiting window when one does', async () => {
    const { prompts, windows } = setup();
    expect(prompts.surface.reveal()).toBe(false);
    const decided = prompts.surface.present(view, new AbortController().signal);
    const [win] = windows;
    win.ready();
    win.minimized = true;
    win.calls.length = 0;
    expect(prompts.surface.reveal()).toBe(true);
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    expect(prompts.decide(page(win), 'req-1', 'reject')).toBe(true);
    expect(await decided).toBe('reject');
    expect(prompts.surface.reveal()).toBe(false);
  });

  it('reveal() never resurrects a window that is gone', () => {
    const { prompts, windows } = setup();
    void prompts.surface.present(view, new AbortController().signal);
    windows[0].destroyed = true; // destroyed, its 'closed' not delivered yet
    expect(prompts.surface.reveal()).toBe(false);
  });

  it('a second prompt while one is open refuses the first (the queue never does this)', async () => {
    const { prompts, windows } = setup();
    const first = prompts.surface.present(view, new AbortController().signal);
    const second = prompts.surface.present({ ...view, id: 'req-2' }, new AbortController().signal);
    expect(await first).toBe('reject');
    expect(prompts.request(page(windows[0]))).toBeNull();
    expect(prompts.request(page(windows[1]))?.id).toBe('req-2');
    prompts.dispose();
    expect(await second).toBe('reject');
  });
});
