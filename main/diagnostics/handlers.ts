import type { Handlers } from '../api/dispatcher.js';
import type { DiagnosticsService } from './diagnostics-service.js';

type DiagnosticsChannel =
  | 'diagnostics.snapshot'
  | 'diagnostics.findings'
  | 'diagnostics.frames'
  | 'diagnostics.probe'
  | 'diagnostics.probeCancel'
  | 'diagnostics.bundlePreview'
  | 'diagnostics.bundleSave';

/** The diagnostics part of the dispatcher's handler map. Input is already validated by the dispatcher. */
export function diagnosticsHandlers(service: DiagnosticsService): Pick<Handlers, DiagnosticsChannel> {
  return {
    'diagnostics.snapshot': () => service.snapshot(),
    'diagnostics.findings': () => service.findings(),
    'diagnostics.frames': (q) =>
      service.frames({ afterSeq: q.afterSeq, limit: q.limit, direction: q.direction, errorsOnly: q.errorsOnly, contains: q.contains }),
    'diagnostics.probe': (q) => service.startProbe(q.deviceId),
    'diagnostics.probeCancel': (q) => service.cancelProbe(q.probeId),
    'diagnostics.bundlePreview': (q) => service.bundlePreview(q.frameMinutes),
    'diagnostics.bundleSave': (q) => service.bundleSave(q.previewId, q.gzip),
  };
}
