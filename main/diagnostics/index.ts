// diagnostics: USB tree, link stats, frame log, auto-probe, findings, redacted support bundle.
export * from './findings.js';
export * from './frame-log.js';
export * from './link-monitor.js';
export * from './probe.js';
export * from './recent-errors.js';
export * from './support-bundle.js';
export * from './usb-tree.js';
export * from './diagnostics-service.js';
export * from './handlers.js';
export * from './stream-history.js';
export * from './observed-port.js';
export * from './session-link.js';
export * from './detect-prober.js';
export * from './create-diagnostics.js';
