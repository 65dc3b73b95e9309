import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalDecision, ApprovalSurface } from '../../../main/wallet/approval-surface.js';
import { composedAppWithKeyring, until, type ComposedApp } from '../../../test/support/renderer-api.js';
import { ApprovalWatch } from './approval-watch.svelte.js';

// The shell's approval banner state over the app as composeServices builds it (keys in a private
// gnome-keyring), with an approval surface the test plays the person on: it holds each prompt
// until the test decides, and "shows it again" when asked.
const visible = { hidden: false, onChange: () => () => {} };

function personAtTheSurface() {
  const waiting: Array<(d: ApprovalDecision) => void> = [];
  let reveals = 0;
  const surface: ApprovalSurface = {
    present: () => new Promise<ApprovalDecision>((decide) => waiting.push(decide)),
    reveal: () => (reveals++, waiting.length > 0),
  };
  return { surface, waiting, reveals: () => reveals };
}

describe('ApprovalWatch', () => {
  let app: ComposedApp;
  const person = personAtTheSurface();
  beforeAll(async () => {
    app = await composedAppWithKeyring({ approval: person.surface });
  }, 60_000);
  afterAll(async () => app?.dispose());

  it('knows an approval waits (summary only), shows it again on request, and forgets both once it is settled', async () => {
    const watch = new ApprovalWatch(app.api, visible);
    const stop = watch.start();
    try {
      await until(() => watch.pending.value !== undefined);
      expect(watch.approvals).toEqual([]);
      // Nothing waits: "show it" finds nothing to show.
      await watch.reveal();
      expect(watch.revealed).toBe('notShown');

      const key = Wallet.createRandom().privateKey;
      await app.api.invoke('wallet.import', { kind: 'privateKey', privateKey: key, label: 'Signer' });
      const { accounts, state } = await app.api.invoke('wallet.status', {});
      if (state !== 'unlocked') await app.api.invoke('wallet.unlock', {});
      const signing = app.api.invoke('wallet.requestSignature', { kind: 'message', from: accounts[0]!.address, message: 'meter reading 42' }).catch((e: unknown) => e);

      await until(() => watch.approvals.length === 1);
      expect(watch.approvals[0]).toMatchObject({ kind: 'message', from: accounts[0]!.address });
      expect(JSON.stringify(watch.approvals)).not.toContain('meter reading 42'); // what is signed shows on the surface only
      await until(() => person.waiting.length === 1); // the prompt is on the surface
      await watch.reveal();
      expect(watch.revealed).toBe('shown');
      expect(person.reveals()).toBe(1); // asked once: with nothing waiting the surface is not asked at all

      person.waiting.shift()!('reject');
      expect(await signing).toMatchObject({ code: 'APPROVAL_REJECTED' });
      await until(() => watch.approvals.length === 0 && watch.revealed === null);
      expect(watch.activity.error).toBeNull();
    } finally {
      stop();
    }
  });
});
