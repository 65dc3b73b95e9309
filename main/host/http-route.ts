import type { IncomingMessage, ServerResponse } from 'node:http';

/** An extra HTTP route of the browser host (the wallet's approval page). True if it answered. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
