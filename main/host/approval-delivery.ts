import type { HandoffFolder } from './handoff-folder.js';

/**
 * How a waiting approval's one-time address reaches the person, out of band from the main window
 * (whoever holds the address can approve). The main window only learns that an approval waits and
 * may ask for it to be shown again; it never receives the address.
 */
export interface ApprovalDelivery {
  /** A request waits: hand its address to the person. */
  deliver(url: string): void;
  /** The person asked to see the waiting one again; true when it was shown. */
  reveal(url: string): boolean;
  /** It settled (decided, timed out, cancelled): the address is dead; take down what holds it. */
  withdraw(url: string): void;
}

const NAME = 'approval';

/**
 * The browser host's delivery: the address goes into `<handoff>/approval.html` (0600, in a 0700
 * folder), the system opener is given that file's path (so no process's argv holds the token), and
 * the terminal gets the file's location, never the address. The file goes when the approval
 * settles. One approval is on the surface at a time (the wallet's queue), so one name suffices.
 */
export function fileApprovalDelivery(options: {
  readonly folder: HandoffFolder;
  /** Opens a file with the system's opener; false where none can run (no display). */
  readonly open: (path: string) => boolean;
  readonly print: (line: string) => void;
}): ApprovalDelivery {
  const { folder } = options;
  let current: string | null = null;
  return {
    deliver(url) {
      current = url;
      const path = folder.write(NAME, url);
      options.print(`Approval needed: ${folder.fileUrl(NAME)}`);
      options.open(path);
    },
    reveal(url) {
      current = url;
      // Written again: the person may have deleted it, and it must hold this request's address.
      return options.open(folder.write(NAME, url));
    },
    withdraw(url) {
      if (current !== url) return; // another request's file is there now
      current = null;
      folder.remove(NAME);
    },
  };
}

/** For in-process tests: the address goes to a callback; showing it again calls it again. */
export function callbackDelivery(deliver: (url: string) => void): ApprovalDelivery {
  return {
    deliver,
    reveal(url) {
      deliver(url);
      return true;
    },
    withdraw() {},
  };
}
