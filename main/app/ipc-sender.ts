import type { IpcMainInvokeEvent } from 'electron';

/** What an IPC call says about where it came from, read once from the event. */
export interface SenderFacts<C> {
  /** The web contents that sent it. */
  readonly contents: C;
  /** Whether it came from that contents' top frame (not an iframe). */
  readonly topFrame: boolean;
  /** The URL of the sending frame at the time of the call. */
  readonly url: string;
}

/**
 * Reads the sender of an IPC call. Null when the frame is gone (navigated away or destroyed:
 * Electron then gives no frame, or throws on reading a disposed one), which no check trusts.
 */
export function senderFacts(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): SenderFacts<IpcMainInvokeEvent['sender']> | null {
  try {
    const frame = event.senderFrame;
    if (!frame) return null;
    return { contents: event.sender, topFrame: frame === event.sender.mainFrame, url: frame.url };
  } catch {
    return null;
  }
}

/**
 * The one trust check of both IPC doors: the call comes from the expected window's contents, from
 * its top frame, while that frame shows a URL the door accepts (an exact origin for the main
 * window, the exact approval page for the approval window).
 */
export function isTrustedSender<C>(facts: SenderFacts<C> | null, expected: C | null, acceptsUrl: (url: string) => boolean): boolean {
  return facts !== null && expected !== null && facts.contents === expected && facts.topFrame && acceptsUrl(facts.url);
}
