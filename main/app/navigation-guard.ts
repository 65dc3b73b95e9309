import type { WebContents } from 'electron';

/**
 * Keeps a web contents on the origin it was made for. Every navigation of any frame, every
 * redirect and every webview is checked; window.open never creates a window (the app opens
 * none; links to the web are not part of it). `allows` is asked at the moment of the event, so
 * a contents created before its window says which origin it belongs to is refused everything.
 *
 * Programmatic `loadURL` from the main process does not pass through these events; redirects of
 * such a load do.
 */
export function guardNavigation(contents: WebContents, allows: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (details) => {
    if (!allows(details.url)) details.preventDefault();
  });
  contents.on('will-frame-navigate', (details) => {
    if (!allows(details.url)) details.preventDefault();
  });
  contents.on('will-redirect', (details) => {
    if (!allows(details.url)) details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
