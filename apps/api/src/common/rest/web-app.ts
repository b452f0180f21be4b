import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import serveStatic from 'serve-static';

/** Where `npm run build` puts the dashboard (`apps/web/dist`), from this file in `apps/api/dist/common/rest`. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));

/** Paths the API answers, with everything below them; `/approvals/…` only below (the decision links). */
const API_PATHS = ['/graphql', '/hooks', '/healthz'];

/** Whether the API answers `path` (lower-cased: Express matches routes ignoring case). */
function isApiPath(path: string): boolean {
  return API_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)) || path.startsWith('/approvals/');
}

/**
 * Serves the built dashboard at `/`: files of `distDir` (Vite's hashed `assets/` cached for a year, being
 * immutable), and `index.html`, never cached, for any other GET that asks for HTML, so that the app's own
 * routes load it (SPA fallback). The API's paths are left to the API whatever they ask for. Nothing is served
 * when `distDir` has no `index.html` (the dashboard was not built).
 *
 * @returns whether the dashboard is served
 */
export function registerWebApp(app: NestExpressApplication, distDir: string = DEFAULT_WEB_DIST): boolean {
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) return false;
  const files = serveStatic(distDir, {
    index: false,
    setHeaders: (response, path) => {
      response.setHeader('cache-control', path.includes(`${join(distDir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = serveStatic(distDir, { index: false, setHeaders: (response) => response.setHeader('cache-control', 'no-cache') });
  app.use((request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => {
    let path: string;
    try {
      path = decodeURIComponent((request.url ?? '/').split('?')[0]).toLowerCase();
    } catch {
      next(); // a malformed escape: not a page of the dashboard
      return;
    }
    if (isApiPath(path) || (request.method !== 'GET' && request.method !== 'HEAD')) {
      next();
      return;
    }
    files(request as never, response as never, () => {
      if (!(request.headers.accept ?? '').includes('text/html')) {
        next();
        return;
      }
      request.url = '/index.html';
      page(request as never, response as never, next);
    });
  });
  return true;
}
