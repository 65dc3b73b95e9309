import { randomUUID } from 'node:crypto';
import { arch, cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import type {
  BundlePreview,
  DiagnosticsSnapshot,
  FindingsResult,
  FrameEntry,
  ProbeReport,
} from '../api/diagnostics.js';
import { WattletError } from '../api/errors.js';
import type { OsSerialPortInfo } from '../api/meter.js';
import { computeFindings, hasBlocking, type DiagnosticFacts, type FindingThresholds } from './findings.js';
import type { FrameLog, FrameQuery } from './frame-log.js';
import type { LinkSource } from './session-link.js';
import { ProbeManager, type Prober } from './probe.js';
import type { RecentErrors } from './recent-errors.js';
import { machineContext, type RedactionContext } from '../redaction/index.js';
import { buildSupportBundle, bundleJson, writeSupportBundle } from './support-bundle.js';
import { usbSnapshot, type UsbListing } from './usb-tree.js';

export interface DiagnosticsDeps {
  /** USB discovery; null where the host has no USB backend at all. */
  readonly usb: UsbListing | null;
  readonly serialPorts?: () => Promise<readonly OsSerialPortInfo[]>;
  readonly link?: LinkSource | null;
  readonly frameLog: FrameLog;
  readonly recentErrors: RecentErrors;
  readonly prober?: Prober | null;
  /** What is running (app.info's answer or the CLI's equivalent). */
  readonly appInfo: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  readonly settings?: () => unknown;
  /** Other rooms' bundle sections (wallet status, history size …); everything is redacted. */
  readonly sections?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Meter ids the session has seen (hashed in the bundle wherever they appear). */
  readonly meterIds?: () => readonly string[];
  /** Per meter: unread lines, register history, quirks corrected (meter-data.ts). */
  readonly meters?: () => DiagnosticsSnapshot['meters'];
  /** Absolute path of resources/udev/99-wattlet.rules in this install. */
  readonly udevRulePath: string;
  /** Where bundleSave writes when no save dialog is wired (the app's data folder/support). */
  readonly bundleDir: string;
  /** The Electron host's save dialog; null answer = the person cancelled. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  readonly onFrame?: (entry: FrameEntry) => void;
  readonly onProbeProgress?: (report: ProbeReport) => void;
  readonly platform?: string;
  readonly redaction?: RedactionContext;
  readonly thresholds?: Partial<FindingThresholds>;
  /** Try opening free adapters to learn their access state (default true). */
  readonly checkAccess?: boolean;
  readonly now?: () => number;
}

const PREVIEWS_KEPT = 3;
const PREVIEW_TTL_MS = 30 * 60_000;

/**
 * Diagnostics for support staff: gathers the facts (USB tree, link, frames, probe, errors), runs
 * the findings rules over them, runs the auto-probe, and builds and saves the redacted bundle.
 */
export class DiagnosticsService {
  readonly probes: ProbeManager;
  readonly #deps: DiagnosticsDeps;
  readonly #now: () => number;
  readonly #previews = new Map<string, { bundle: Record<string, unknown>; at: number }>();
  readonly #offFrames: () => void;

  constructor(deps: DiagnosticsDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.probes = new ProbeManager({
      prober: deps.prober ?? null,
      now: this.#now,
      onProgress: (r) => {
        this.#recordAttemptErrors(r);
        deps.onProbeProgress?.(r);
      },
      onError: (e) => deps.recentErrors.record(e, 'diagnostics.probe'),
    });
    this.#offFrames = deps.onFrame ? deps.frameLog.subscribe(deps.onFrame) : () => {};
  }

  readonly #recordedAttempts = new Set<string>();

  /**
   * An attempt that could not open the adapter (permission, a kernel driver holding it) is the
   * best evidence of the adapter's access state: remember it, naming the device.
   */
  #recordAttemptErrors(r: ProbeReport): void {
    for (const a of r.attempts) {
      const key = `${r.probeId}#${a.index}`;
      if (!a.error || this.#recordedAttempts.has(key)) continue;
      this.#recordedAttempts.add(key);
      const facts = r.deviceId ? { ...a.error.facts, deviceId: r.deviceId } : a.error.facts;
      this.#deps.recentErrors.record(new WattletError(a.error.code, a.error.message, facts), 'diagnostics.probe', a.startedAt);
    }
  }

  #inflight: Promise<DiagnosticsSnapshot> | null = null;

  /** One snapshot at a time: concurrent callers share it, so adapters are not opened twice at once. */
  snapshot(): Promise<DiagnosticsSnapshot> {
    this.#inflight ??= this.#takeSnapshot().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  async #takeSnapshot(): Promise<DiagnosticsSnapshot> {
    const d = this.#deps;
    const link = d.link?.linkStats() ?? null;
    const recentErrors = d.recentErrors.list();
    const usb = d.usb
      ? await usbSnapshot(d.usb, { link, recentErrors, checkAccess: d.checkAccess ?? true })
      : {
          status: { available: false, backend: 'none', problem: { code: 'NOT_AVAILABLE', message: 'No USB backend in this mode', facts: {} } },
          devices: [],
          listError: null,
        };
    let serialPorts: DiagnosticsSnapshot['serialPorts'] = [];
    if (d.serialPorts) {
      try {
        serialPorts = (await d.serialPorts()).map((p) => ({
          path: p.path,
          vidPid: p.vendorId !== null && p.productId !== null ? `${p.vendorId.toString(16).padStart(4, '0')}:${p.productId.toString(16).padStart(4, '0')}` : null,
          serialNumber: p.serialNumber,
        }));
      } catch (e) {
        d.recentErrors.record(e, 'meter.serialPorts');
      }
    }
    return {
      takenAt: this.#now(),
      usb,
      serialPorts,
      link,
      probe: this.probes.last,
      recentErrors: d.recentErrors.list(),
      frameLog: { count: d.frameLog.size, bytes: d.frameLog.heldBytes, windowMs: d.frameLog.windowMs, latestSeq: d.frameLog.latestSeq },
      meters: d.meters?.() ?? [],
    };
  }

  factsOf(s: DiagnosticsSnapshot): DiagnosticFacts {
    return {
      now: s.takenAt,
      platform: this.#deps.platform ?? process.platform,
      usb: s.usb,
      serialPortCount: s.serialPorts.length,
      link: s.link,
      probe: s.probe,
      recentErrors: s.recentErrors,
      udevRulePath: this.#deps.udevRulePath,
    };
  }

  async findings(snapshot?: DiagnosticsSnapshot): Promise<FindingsResult> {
    const s = snapshot ?? (await this.snapshot());
    const findings = computeFindings(this.factsOf(s), this.#deps.thresholds);
    return { takenAt: s.takenAt, findings, blocking: hasBlocking(findings) };
  }

  frames(q: FrameQuery): { frames: FrameEntry[]; latestSeq: number; droppedBefore: number } {
    const log = this.#deps.frameLog;
    return { frames: log.query(q), latestSeq: log.latestSeq, droppedBefore: log.oldestSeq };
  }

  /**
   * Starts the auto-probe on a device the meter session does not hold: probing opens the adapter
   * at other speeds, which would tear the session's link (and the session would fight back).
   * Without a device id, the first free adapter is probed.
   */
  async startProbe(deviceId: string | null): Promise<ProbeReport> {
    const d = this.#deps;
    const link = d.link?.linkStats() ?? null;
    const held = link && (link.state === 'open' || link.state === 'reconnecting' || link.state === 'connecting') ? link.deviceId : null;
    let target = deviceId;
    if (target === null && d.usb) {
      const status = await d.usb.status();
      const devices = status.available ? await d.usb.devices().catch(() => []) : [];
      const free = devices.find((x) => x.family !== null && x.id !== held);
      if (free) target = free.id;
      else if (held) target = held;
    }
    if (target !== null && target === held) {
      throw new WattletError('DIAG_PROBE_DEVICE_IN_USE', 'The meter session is using this adapter; stop it before probing', { deviceId: target });
    }
    return this.probes.start(target).report;
  }

  cancelProbe(probeId: string): Promise<ProbeReport> {
    return this.probes.cancel(probeId);
  }

  /** The bundle object, redacted; held under an id so bundleSave writes this very object. */
  async bundlePreview(frameMinutes = 10): Promise<BundlePreview> {
    const d = this.#deps;
    const snapshot = await this.snapshot();
    const { findings } = await this.findings(snapshot);
    const cpu = cpus();
    const { bundle, counts } = buildSupportBundle(
      {
        createdAt: this.#now(),
        app: await d.appInfo(),
        os: {
          platform: d.platform ?? process.platform,
          type: osType(),
          release: release(),
          arch: arch(),
          cpus: cpu.length,
          cpuModel: cpu[0]?.model ?? null,
          totalMemoryMB: Math.round(totalmem() / 1024 / 1024),
          versions: { node: process.versions.node, v8: process.versions.v8, electron: process.versions['electron'] ?? null },
        },
        snapshot,
        findings,
        frames: d.frameLog.query({}),
        frameMinutes,
        settings: d.settings?.() ?? null,
        sections: (await d.sections?.()) ?? {},
        meterIds: d.meterIds?.() ?? [],
      },
      d.redaction ?? machineContext(),
    );
    const previewId = randomUUID();
    this.#previews.set(previewId, { bundle, at: this.#now() });
    for (const [id, p] of this.#previews) {
      if (this.#previews.size > PREVIEWS_KEPT || this.#now() - p.at > PREVIEW_TTL_MS) this.#previews.delete(id);
    }
    return { previewId, bundle, jsonBytes: Buffer.byteLength(bundleJson(bundle)), redactions: counts as Record<string, number> };
  }

  async bundleSave(previewId: string, gzip: boolean): Promise<{ file: string; bytes: number; sha256: string }> {
    const held = this.#previews.get(previewId);
    if (!held || this.#now() - held.at > PREVIEW_TTL_MS) {
      throw new WattletError('DIAG_BUNDLE_PREVIEW_EXPIRED', 'That preview is no longer held; preview the bundle again', { previewId });
    }
    const stamp = new Date(held.at).toISOString().replace(/[:.]/g, '-');
    const name = `wattlet-support-${stamp}.json${gzip ? '.gz' : ''}`;
    let file = join(this.#deps.bundleDir, name);
    if (this.#deps.chooseSavePath) {
      const chosen = await this.#deps.chooseSavePath(name);
      if (!chosen) throw new WattletError('DIAG_BUNDLE_CANCELLED', 'Saving the bundle was cancelled', {});
      file = chosen;
    }
    return writeSupportBundle(held.bundle, file, gzip);
  }

  /** The CLI's path: preview and write in one step to a named file. */
  async writeBundle(file: string, options: { frameMinutes?: number; gzip?: boolean } = {}) {
    const preview = await this.bundlePreview(options.frameMinutes ?? 10);
    return writeSupportBundle(preview.bundle, file, options.gzip ?? file.endsWith('.gz'));
  }

  async dispose(): Promise<void> {
    this.#offFrames();
    this.#previews.clear();
    await this.probes.dispose();
  }
}
