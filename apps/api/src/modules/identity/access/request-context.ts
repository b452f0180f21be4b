import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './principal.js';

/**
 * What the code serving one request knows about it, wherever it runs (resolvers, field resolvers,
 * services, the workspace scope of the Prisma client): set empty when the request arrives, filled in by
 * the access guard once the credentials are checked.
 */
export interface RequestContext {
  /** The authenticated principal; undefined until the guard ran, and for public handlers. */
  principal?: Principal;
  /** Client address as Express sees it (`trust proxy` decides whether `X-Forwarded-For` counts). */
  ip?: string;
  userAgent?: string;
  /** `X-Request-Id` when the client sent one, else a fresh UUID. */
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `serve` with `context` as the current request's, for everything it awaits and schedules. */
export function runInRequestContext<T>(context: RequestContext, serve: () => T): T {
  return storage.run(context, serve);
}

/** The current request's context, or undefined outside a request (startup, background passes). */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
