import type { IncomingHttpHeaders } from 'node:http';

/**
 * Where a request says it is going: its target (the request line) and its Host header. The host
 * reads only requests addressed to itself by a name it answers to.
 *
 * The Host check is what defeats DNS rebinding: a page on evil.example that re-points its own name
 * at 127.0.0.1 reaches this port with `Host: evil.example:PORT`, and is refused before any file,
 * source map or route answers. Browsers always send Host; only 127.0.0.1:PORT and localhost:PORT
 * (the names a person can type, in any case) pass.
 */
export function hostAllowed(headers: IncomingHttpHeaders, port: number): boolean {
  const host = headers.host?.toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * The request target resolved against this host's origin, or null when it cannot be read or
 * names another origin (`http://[`, `//elsewhere/`, absolute-form for another host). Never throws:
 * a malformed request line is answered with 400 and leaves the host running.
 */
export function requestUrl(target: string | undefined, origin: string): URL | null {
  // Origin-form (/path) or absolute-form (http://…) only: `*` or a bare `api?…` names nothing here.
  if (!target || !(target.startsWith('/') || /^https?:\/\//i.test(target))) return null;
  try {
    const url = new URL(target, origin);
    return url.origin === origin ? url : null;
  } catch {
    return null;
  }
}
