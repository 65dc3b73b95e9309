import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/api/dispatcher.js';
import { EventBus } from '../../../main/api/event-bus.js';
import { diagnosticsHandlers, recordingDispatch } from '../../../main/diagnostics/index.js';
import { LINE_8N1_115200 } from '../../../main/meter/index.js';
import { SimulatedDsmrMeter } from '../../../main/meter/sim/meters/simulated-dsmr-meter.js';
import { harness, until, type Harness } from './harness.js';

// The diagnostics channels through the real dispatcher: requests and responses pass their schemas.
let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

const ctx = { host: 'browser' as const };

describe('diagnostics channels', () => {
  it('snapshot, findings, frames and bundle preview/save answer inside their schemas', async () => {
    h = harness();
    const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    h.adapter.connectMeter(meter);
    await h.openLink(LINE_8N1_115200);
    await until('frames', () => h!.link()!.framesOk, (n) => n >= 2);
    const dispatch = createDispatcher(diagnosticsHandlers(h.service), { onInternalError: (c, e) => { throw new Error(`${c}: ${String(e)}`); } });

    const snap = await dispatch('diagnostics.snapshot', {}, ctx);
    expect(snap).toMatchObject({ ok: true, result: { link: { state: 'open', family: 'ftdi' } } });
    const findings = await dispatch('diagnostics.findings', {}, ctx);
    expect(findings).toMatchObject({ ok: true, result: { blocking: false } });

    const frames = await dispatch('diagnostics.frames', {}, ctx);
    if (!frames.ok) throw new Error(frames.error.code);
    const list = (frames.result as { frames: Array<{ seq: number }>; latestSeq: number }).frames;
    expect(list.length).toBeGreaterThanOrEqual(2);
    const after = await dispatch('diagnostics.frames', { afterSeq: list.at(-1)!.seq, limit: 10 }, ctx);
    expect(after.ok && (after.result as { frames: unknown[] }).frames.every((f) => (f as { seq: number }).seq > list.at(-1)!.seq)).toBe(true);
    expect(await dispatch('diagnostics.frames', { limit: 0 }, ctx)).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });

    const preview = await dispatch('diagnostics.bundlePreview', { frameMinutes: 5 }, ctx);
    if (!preview.ok) throw new Error(preview.error.code);
    const { previewId, bundle } = preview.result as { previewId: string; bundle: Record<string, unknown> };
    expect(JSON.stringify(bundle)).not.toContain('E0025000123456789'); // the simulated meter's equipment id
    expect(JSON.stringify(bundle)).not.toContain('A50285BI');
    const saved = await dispatch('diagnostics.bundleSave', { previewId, gzip: false }, ctx);
    if (!saved.ok) throw new Error(saved.error.code);
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync((saved.result as { file: string }).file, 'utf8'))).toEqual(bundle);
    expect(await dispatch('diagnostics.bundleSave', { previewId: 'nope' }, ctx)).toMatchObject({ ok: false, error: { code: 'DIAG_BUNDLE_PREVIEW_EXPIRED' } });
    meter.detach();
  });

  it('probe reports progress as events, answers busy while running, and can be cancelled', async () => {
    const bus = new EventBus();
    h = harness({ bus });
    const progress: Array<{ state: string; attempts: number }> = [];
    bus.on('diagnostics.probeProgress', (r) => progress.push({ state: r.state, attempts: r.attempts.length }));
    const frames: number[] = [];
    bus.on('diagnostics.frame', (f) => frames.push(f.seq));
    const dispatch = recordingDispatch(createDispatcher(diagnosticsHandlers(h.service)), h.errors);

    const started = await dispatch('diagnostics.probe', { deviceId: h.deviceId }, ctx);
    expect(started).toMatchObject({ ok: true, result: { state: 'running', deviceId: h.deviceId } });
    expect(await dispatch('diagnostics.probe', {}, ctx)).toMatchObject({ ok: false, error: { code: 'DIAG_PROBE_BUSY' } });
    // The recording dispatcher remembers what the person was told.
    expect(h.errors.list().map((e) => e.error.code)).toContain('DIAG_PROBE_BUSY');
    await until('probe end', () => progress.at(-1)?.state, (s) => s === 'done', 10_000);
    expect(progress).toEqual([
      { state: 'running', attempts: 1 },
      { state: 'running', attempts: 2 },
      { state: 'done', attempts: 2 },
    ]);

    const again = await dispatch('diagnostics.probe', {}, ctx);
    const id = again.ok ? (again.result as { probeId: string }).probeId : '';
    expect(await dispatch('diagnostics.probeCancel', { probeId: id }, ctx)).toMatchObject({ ok: true, result: { state: 'cancelled' } });
    expect(progress.at(-1)!.state).toBe('cancelled');

    // Frames reach the bus as they enter the log.
    const meter = new SimulatedDsmrMeter({ version: '5.0', intervalMs: 100 });
    h.adapter.connectMeter(meter);
    await h.openLink(LINE_8N1_115200);
    await until('frame events', () => frames.length, (n) => n >= 1);
    meter.detach();
    bus.dispose();
  });
});
