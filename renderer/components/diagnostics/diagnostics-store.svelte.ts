import type {
  BundlePreview,
  DiagnosticsSnapshot,
  FindingsResult,
  FrameEntry,
  ProbeReport,
} from '../../../main/api/diagnostics.js';
import { api } from '../../lib/api.js';

/** Frames the page holds; the main process keeps the longer history (diagnostics.frames). */
export const FRAMES_SHOWN = 500;

/**
 * The Diagnostics page's state: the snapshot (USB tree, link, probe), the findings, the live frame
 * log (pausable: while paused new frames wait in `pending`), the auto-probe and the bundle preview.
 */
export class DiagnosticsStore {
  snapshot = $state<DiagnosticsSnapshot | null>(null);
  findings = $state<FindingsResult | null>(null);
  frames = $state<FrameEntry[]>([]);
  pending = $state<FrameEntry[]>([]);
  paused = $state(false);
  probe = $state<ProbeReport | null>(null);
  preview = $state<BundlePreview | null>(null);
  saved = $state<{ file: string; bytes: number; sha256: string } | null>(null);
  loading = $state(false);
  busy = $state<'probe' | 'preview' | 'save' | null>(null);
  error = $state<unknown>(null);

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const snapshot = await api.invoke('diagnostics.snapshot', {});
      this.snapshot = snapshot;
      if (!this.probe || this.probe.state !== 'running') this.probe = snapshot.probe;
      this.findings = await api.invoke('diagnostics.findings', {});
      this.error = null;
    } catch (e) {
      this.error = e;
    } finally {
      this.loading = false;
    }
  }

  async loadFrames(): Promise<void> {
    try {
      this.frames = (await api.invoke('diagnostics.frames', { limit: FRAMES_SHOWN })).frames;
    } catch (e) {
      this.error = e;
    }
  }

  /** Live frames and probe progress; returns the unsubscribe. */
  watch(): () => void {
    const offFrame = api.on('diagnostics.frame', (f) => {
      if (this.paused) this.pending = [...this.pending, f].slice(-FRAMES_SHOWN);
      else this.frames = [...this.frames, f].slice(-FRAMES_SHOWN);
    });
    const offProbe = api.on('diagnostics.probeProgress', (r) => {
      this.probe = r;
      if (r.state !== 'running') {
        this.busy = null;
        void this.refresh();
      }
    });
    return () => {
      offFrame();
      offProbe();
    };
  }

  togglePause(): void {
    if (this.paused) {
      this.frames = [...this.frames, ...this.pending].slice(-FRAMES_SHOWN);
      this.pending = [];
    }
    this.paused = !this.paused;
  }

  async startProbe(deviceId: string | null): Promise<void> {
    this.error = null;
    this.busy = 'probe';
    try {
      this.probe = await api.invoke('diagnostics.probe', { deviceId });
    } catch (e) {
      this.busy = null;
      this.error = e;
    }
  }

  async cancelProbe(): Promise<void> {
    if (!this.probe) return;
    try {
      this.probe = await api.invoke('diagnostics.probeCancel', { probeId: this.probe.probeId });
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = null;
    }
  }

  async previewBundle(frameMinutes: number): Promise<void> {
    this.error = null;
    this.saved = null;
    this.busy = 'preview';
    try {
      this.preview = await api.invoke('diagnostics.bundlePreview', { frameMinutes });
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = null;
    }
  }

  async saveBundle(gzip: boolean): Promise<void> {
    if (!this.preview) return;
    this.error = null;
    this.busy = 'save';
    try {
      this.saved = await api.invoke('diagnostics.bundleSave', { previewId: this.preview.previewId, gzip });
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = null;
    }
  }
}
