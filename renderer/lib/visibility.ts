/** Whether the window is shown, and a way to hear when that changes (tests give their own). */
export interface Visibility {
  readonly hidden: boolean;
  onChange(listener: () => void): () => void;
}

/** The document's visibility (a minimized window, a background tab). */
export const documentVisibility: Visibility = {
  get hidden() {
    return typeof document !== 'undefined' && document.visibilityState === 'hidden';
  },
  onChange(listener) {
    if (typeof document === 'undefined') return () => {};
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};
