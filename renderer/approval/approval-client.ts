import { approvalViewSchema, type ApprovalView } from '../../main/api/wallet.js';

/**
 * How the approval page reaches the main process. It never uses `window.wattlet`: that is the
 * main window's door. Electron: the approval window's own preload (`window.wattletApproval`).
 * Browser host: the one-time URL this page was opened at (/approve/<token>).
 */
export interface ApprovalClient {
  /** The request to show, or null when it is no longer waiting. */
  getRequest(): Promise<ApprovalView | null>;
  /** True when the main process took the decision. */
  decide(id: string, decision: 'approve' | 'reject'): Promise<boolean>;
}

interface ApprovalBridge {
  getRequest(): Promise<unknown>;
  approve(id: string): Promise<boolean>;
  reject(id: string): Promise<boolean>;
}

declare global {
  interface Window {
    wattletApproval?: ApprovalBridge;
  }
}

function parse(raw: unknown): ApprovalView | null {
  const r = approvalViewSchema.safeParse(raw);
  return r.success ? r.data : null;
}

function electronClient(bridge: ApprovalBridge): ApprovalClient {
  return {
    getRequest: async () => parse(await bridge.getRequest()),
    decide: (id, d) => (d === 'approve' ? bridge.approve(id) : bridge.reject(id)),
  };
}

function httpClient(base: string): ApprovalClient {
  return {
    async getRequest() {
      const r = await fetch(`${base}/request`, { cache: 'no-store' });
      return r.ok ? parse(await r.json()) : null;
    },
    async decide(id, decision) {
      const r = await fetch(`${base}/decision`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id, decision }),
      });
      return r.ok;
    },
  };
}

export function approvalClient(): ApprovalClient {
  if (window.wattletApproval) return electronClient(window.wattletApproval);
  // /approve/<token>[/]: the token stays in this page's address, nowhere else.
  const base = location.pathname.replace(/\/+$/, '');
  return httpClient(base);
}
