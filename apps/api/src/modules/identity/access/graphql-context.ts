import type { IncomingMessage } from 'node:http';
import type { CredentialCarrier } from './credential-carrier.js';

/** The GraphQL context of an operation: the HTTP request, or a graphql-ws connection's credentials. */
export interface GraphqlContext {
  req?: CredentialCarrier;
  res?: unknown;
  connection?: CredentialCarrier;
}

/** What Apollo (over HTTP) or graphql-ws (over a socket) hands the context factory. */
interface ContextSource {
  req?: CredentialCarrier;
  res?: unknown;
  /** graphql-ws: the `connection_init` payload. */
  connectionParams?: Readonly<Record<string, unknown>>;
  /** graphql-ws: the upgrade request. */
  extra?: { request?: IncomingMessage };
}

/**
 * Builds the GraphQL context. A graphql-ws connection authenticates with `connection_init`'s
 * `{ authorization: "Bearer …" }` (browsers cannot set headers on a WebSocket) or with the session cookie
 * of the upgrade request; `trellis-workspace` may come from either.
 */
export function graphqlContext(source: ContextSource): GraphqlContext {
  if (source.extra === undefined) return { req: source.req, res: source.res };
  const upgrade = source.extra.request;
  const params = source.connectionParams ?? {};
  const param = (name: string) => (typeof params[name] === 'string' ? params[name] : undefined);
  return {
    connection: {
      headers: {
        authorization: param('authorization') ?? param('Authorization'),
        cookie: upgrade?.headers.cookie,
        'trellis-workspace': param('trellis-workspace') ?? upgrade?.headers['trellis-workspace'],
        'user-agent': upgrade?.headers['user-agent'],
        // For the cross-site check of cookie-authenticated sockets.
        origin: upgrade?.headers.origin,
        host: upgrade?.headers.host,
      },
      ip: upgrade?.socket.remoteAddress,
    },
  };
}
