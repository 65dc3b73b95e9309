import { browserDownload } from '../../lib/browser-download.js';

/**
 * The support bundle as the person sees and keeps it, computed in the window from the previewed
 * object (which is exactly what the main process would write): its sections and their sizes, and
 * the file itself for a browser download — the same bytes `writeSupportBundle` writes (JSON with
 * two-space indent and a final newline, gzip-compressed or not) with their SHA-256.
 */

export interface BundleSection {
  readonly key: string;
  /** UTF-8 bytes of the section's JSON as it stands in the file. */
  readonly bytes: number;
}

const encoder = new TextEncoder();

/** The bundle's top-level sections, largest first, and the whole JSON's size. */
export function bundleSections(bundle: Readonly<Record<string, unknown>>): { sections: BundleSection[]; bytes: number } {
  const sections = Object.entries(bundle).map(([key, value]) => ({ key, bytes: encoder.encode(JSON.stringify(value, null, 2) ?? 'null').length }));
  sections.sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
  return { sections, bytes: encoder.encode(bundleText(bundle)).length };
}

/** main/diagnostics/support-bundle.ts's bundleJson, byte for byte. */
export function bundleText(bundle: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(bundle, null, 2) + '\n';
}

export interface BundleFile {
  readonly name: string;
  readonly data: Uint8Array<ArrayBuffer>;
  readonly sha256: string;
}

async function gzip(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([data]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The file to download: named as the main process names a saved bundle (the preview's time). */
export async function bundleFile(bundle: Readonly<Record<string, unknown>>, compress: boolean): Promise<BundleFile> {
  const json = encoder.encode(bundleText(bundle));
  const data = compress ? await gzip(json) : json;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  const created = typeof bundle['createdAt'] === 'string' ? bundle['createdAt'] : new Date().toISOString();
  const stamp = created.replace(/[:.]/g, '-');
  return {
    name: `wattlet-support-${stamp}.json${compress ? '.gz' : ''}`,
    data,
    sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
  };
}

/** Hands a file to the browser's downloads (the browser host has no save dialog of its own). */
export function downloadFile(file: BundleFile, type: string): void {
  browserDownload(file.name, file.data, type);
}
