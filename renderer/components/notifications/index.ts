/** The notification centre: its store (the main process's list, kept by its events) and the bell in the shell. */
export { NotificationCentre } from './notification-centre.svelte.js';
export { default as NotificationBell } from './NotificationBell.svelte';
