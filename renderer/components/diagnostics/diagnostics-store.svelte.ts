import type { WattletApi } from '../../../main/api/contract.js';
import type { BundlePreview, DiagnosticsSnapshot, FindingsResult, FrameEntry, ProbeReport } from '../../../main/api/diagnostics.js';
import { Activity } from '../../lib/activity.svelte.js';
import { bundleFile, downloadFile, type BundleFile } from './bundle-file.js';

/** Frames the page holds; the main process keeps the longer history (diagnostics.frames). */
export const FRAMES_SHOWN = 500;

export interface SavedBundle {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  /** 'file': written where the person chose in the save dialog; 'download': handed to the browser's downloads. */
  readonly where: 'file' | 'download';
}

export interface DiagnosticsStoreOptions {
  /** How a file reaches the browser's downloads (default: a link clicked for it). */
  readonly download?: (file: BundleFile) => void;
}

/**
 * The Diagnostics page's state: the snapshot (USB tree, link, probe), the findings, the live frame
 * log (pausable: while paused new frames wait in `pending`), the auto-probe and the bundle preview.
 * A bundle is saved where the person chooses: the desktop app's save dialog, or the browser's
 * downloads in the browser host — never quietly into the data folder.
 */
export class DiagnosticsStore {
  readonly activity = new Activity<'probe' | 'cancel' | 'preview' | 'save'>();
  snapshot = $state<DiagnosticsSnapshot | null>(null);
  findings = $state<FindingsResult | null>(null);
  frames = $state<FrameEntry[]>([]);
  pending = $state<FrameEntry[]>([]);
  paused = $state(false);
  probe = $state<ProbeReport | null>(null);
  preview = $state<BundlePreview | null>(null);
  saved = $state<SavedBundle | null>(null);
  readonly #api: WattletApi;
  readonly #download: (file: BundleFile) => void;
  #host: 'electron' | 'browser' | 'cli' | null = null;

  constructor(api: WattletApi, options: DiagnosticsStoreOptions = {}) {
    this.#api = api;
    this.#download = options.download ?? ((file) => downloadFile(file, file.name.endsWith('.gz') ? 'application/gzip' : 'application/json'));
  }

  /** A fresh snapshot and its findings (not while an auto-probe reports into `probe`). */
  refresh(): Promise<boolean> {
    return this.activity.load(async () => {
      const snapshot = await this.#api.invoke('diagnostics.snapshot', {});
      this.snapshot = snapshot;
      if (!this.probe || this.probe.state !== 'running') this.probe = snapshot.probe;
      this.findings = await this.#api.invoke('diagnostics.findings', {});
    });
  }

  loadFrames(): Promise<boolean> {
    return this.activity.load(async () => {
      this.frames = (await this.#api.invoke('diagnostics.frames', { limit: FRAMES_SHOWN })).frames;
    });
  }

  /** Live frames and probe progress; returns the unsubscribe. */
  watch(): () => void {
    const offFrame = this.#api.on('diagnostics.frame', (f) => {
      if (this.paused) this.pending = [...this.pending, f].slice(-FRAMES_SHOWN);
      else this.frames = [...this.frames, f].slice(-FRAMES_SHOWN);
    });
    const offProbe = this.#api.on('diagnostics.probeProgress', (r) => {
      this.probe = r;
      if (r.state !== 'running') void this.refresh();
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

  /** Starts the auto-probe; its attempts arrive as diagnostics.probeProgress. */
  startProbe(deviceId: string | null): Promise<boolean> {
    return this.activity.run('probe', async () => {
      this.probe = await this.#api.invoke('diagnostics.probe', { deviceId });
    });
  }

  cancelProbe(): Promise<boolean> {
    const probe = this.probe;
    if (!probe) return Promise.resolve(false);
    return this.activity.run('cancel', async () => {
      this.probe = await this.#api.invoke('diagnostics.probeCancel', { probeId: probe.probeId });
    });
  }

  previewBundle(frameMinutes: number): Promise<boolean> {
    return this.activity.run('preview', async () => {
      this.saved = null;
      this.preview = await this.#api.invoke('diagnostics.bundlePreview', { frameMinutes });
    });
  }

  saveBundle(gzip: boolean): Promise<boolean> {
    const preview = this.preview;
    if (!preview) return Promise.resolve(false);
    return this.activity.run('save', async () => {
      this.saved = null;
      this.#host ??= (await this.#api.invoke('app.info', {})).host;
      if (this.#host === 'browser') {
        const file = await bundleFile(preview.bundle, gzip);
        this.#download(file);
        this.saved = { file: file.name, bytes: file.data.length, sha256: file.sha256, where: 'download' };
      } else {
        this.saved = { ...(await this.#api.invoke('diagnostics.bundleSave', { previewId: preview.previewId, gzip })), where: 'file' };
      }
    });
  }
}
