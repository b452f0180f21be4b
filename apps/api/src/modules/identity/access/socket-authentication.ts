import type { Context } from 'graphql-ws';
import { TrellisException, TrellisExceptionCode } from '../../../common/exceptions/trellis-exception.js';
import { graphqlContext } from './graphql-context.js';
import type { PrincipalResolverService } from './principal-resolver.service.js';

/** Close code of a socket without valid credentials (graphql-ws uses 4401 for "Unauthorized"). */
export const SOCKET_UNAUTHORIZED = 4401;
/** Close code when the server could not check the credentials (graphql-ws' "Internal server error"). */
export const SOCKET_INTERNAL_ERROR = 4500;
/** Close code of a socket whose credentials are valid but not for what it asked (another workspace). */
export const SOCKET_FORBIDDEN = 4403;

/**
 * graphql-ws `onConnect`: resolves the principal of a new socket from `connection_init`'s `authorization`
 * or the upgrade request's session cookie, and closes the socket with {@link SOCKET_UNAUTHORIZED} when there
 * is none, so an unauthenticated socket never gets to subscribe. Each subscription is then checked again
 * by the access guard, like any operation.
 *
 * @returns true to accept the connection; false after closing it
 */
export async function authenticateSocket(
  principals: PrincipalResolverService,
  context: Context<Record<string, unknown> | undefined, unknown>,
): Promise<boolean> {
  const extra = context.extra as { request?: import('node:http').IncomingMessage; socket?: { close(code: number, reason: string): void } };
  const carrier = graphqlContext({ connectionParams: context.connectionParams ?? {}, extra }).connection!;
  try {
    await principals.resolve(carrier);
    return true;
  } catch (error) {
    if (!(error instanceof TrellisException)) {
      // Ours, not the client's (the database is down): graphql-ws' internal error code.
      extra.socket?.close(SOCKET_INTERNAL_ERROR, 'Internal error');
    } else if (error.code === TrellisExceptionCode.UNAUTHENTICATED) {
      extra.socket?.close(SOCKET_UNAUTHORIZED, 'Unauthorized');
    } else {
      extra.socket?.close(SOCKET_FORBIDDEN, 'Forbidden');
    }
    return false;
  }
}
