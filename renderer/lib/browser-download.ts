/**
 * Hands a file to the person in the browser host, which has no save dialog of its own: the
 * browser's download (it asks where, or files it in Downloads). The object URL outlives the click
 * long enough for a slow browser to start reading it.
 */
export function browserDownload(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
