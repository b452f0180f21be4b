import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';

/** Path prefix of the codec routes. */
export const CODEC_PATH_PREFIX = '/codec';

/**
 * CORS for the codec routes, for the Temporal UI at `temporalUiUrl` only: its origin gets the
 * `Access-Control-Allow-*` headers (with credentials, so the session cookie is sent), and its preflight
 * `OPTIONS` is answered 204 here, before access checks (a preflight carries no credentials). Other origins get
 * no CORS headers, so browsers keep their pages from reading the answers. Without `temporalUiUrl` nothing is added.
 */
export function registerCodecCors(app: INestApplication, temporalUiUrl: string | undefined): void {
  if (temporalUiUrl === undefined) return;
  const allowed = new URL(temporalUiUrl).origin;
  app.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (!request.url?.startsWith(`${CODEC_PATH_PREFIX}/`) || request.headers.origin !== allowed) {
      next();
      return;
    }
    response.setHeader('Access-Control-Allow-Origin', allowed);
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    response.setHeader('Vary', 'Origin');
    if (request.method !== 'OPTIONS') {
      next();
      return;
    }
    response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace, caller-type');
    response.setHeader('Access-Control-Max-Age', '600');
    response.statusCode = 204;
    response.end();
  });
}
