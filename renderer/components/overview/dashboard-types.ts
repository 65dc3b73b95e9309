import type { ResponseOf } from '../../../main/api/contract.js';

/** The Overview's figures as the main process computes them (main/history/dashboard.ts). */
export type Dashboard = ResponseOf<'history.dashboard'>;
