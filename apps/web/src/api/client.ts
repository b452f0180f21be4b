import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { createClient as createSocketClient } from 'graphql-ws';
import { connectionEvents } from './connection';
import { chosenWorkspace } from './workspace-choice';

/**
 * The dashboard's GraphQL client: same-origin requests to `/graphql` carrying the session cookie (the API
 * serves this app, so they share an origin), the chosen workspace as `Trellis-Workspace`, and subscriptions
 * over graphql-ws on the same path (the cookie authenticates the socket).
 */
export function createApiClient(): Client {
  const sockets = createSocketClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: () => {
      const workspace = chosenWorkspace();
      return workspace ? { 'trellis-workspace': workspace } : {};
    },
    lazy: true,
    retryAttempts: Infinity,
    on: {
      connected: () => connectionEvents.connected(),
      closed: (event) => connectionEvents.closed((event as CloseEvent | undefined)?.code),
    },
  });
  return new Client({
    url: '/graphql',
    requestPolicy: 'cache-and-network',
    // POST only: Apollo's CSRF prevention refuses GET queries that lack a preflight header.
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const workspace = chosenWorkspace();
      const headers: Record<string, string> = workspace ? { 'trellis-workspace': workspace } : {};
      return { credentials: 'same-origin', headers };
    },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: sockets.subscribe({ query: request.query ?? '', variables: request.variables }, sink) }),
        }),
      }),
    ],
  });
}
