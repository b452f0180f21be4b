/**
 * A graphql-ws client for subscription tests: collects what one subscription receives, with the local
 * arrival time of each result, and how it ended.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TEST_AUTHORIZATION, type ResponseData } from './api-test-context.js';

/** How a subscription ended: the server completed it, sent errors, or the socket closed. */
export type SubscriptionEnd =
  | { kind: 'complete' }
  | { kind: 'errors'; errors: { message: string; extensions?: { code?: string } }[] }
  | { kind: 'closed'; code: number };

/** One result, with `Date.now()` when it arrived (ms). */
export interface Received<T> {
  data: T;
  at: number;
}

/** A running subscription. */
export interface Subscription<T> {
  /** Results so far, in arrival order. */
  readonly received: Received<T>[];
  /** Settles when the subscription ends (never rejects). */
  readonly ended: Promise<SubscriptionEnd>;
  /** Unsubscribes and closes the socket. */
  close(): Promise<void>;
}

/** `http://host:port/graphql` to `ws://host:port/graphql`. */
export function wsUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, 'ws');
}

/**
 * Opens a socket to `graphqlUrl`'s graphql-ws endpoint, authenticated with the test API key, and runs one
 * subscription on it. The client does
 * not retry: a test resubscribes itself, with the `afterSequence` it chose.
 */
export function subscribe<T = ResponseData>(
  graphqlUrl: string,
  query: string,
  variables: Record<string, unknown>,
  /** `authorization` sent in `connection_init`: default the test API key; null sends none. */
  options: { authorization?: string | null } = {},
): Subscription<T> {
  const authorization = options.authorization === undefined ? TEST_AUTHORIZATION : options.authorization;
  const client: Client = createClient({
    url: wsUrl(graphqlUrl),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: authorization === null ? {} : { authorization },
  });
  const received: Received<T>[] = [];
  let unsubscribe = (): void => {};
  const ended = new Promise<SubscriptionEnd>((resolve) => {
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length) resolve({ kind: 'errors', errors: result.errors as never });
          else received.push({ data: result.data as T, at: Date.now() });
        },
        error: (error) => {
          if (Array.isArray(error)) resolve({ kind: 'errors', errors: error });
          else resolve({ kind: 'closed', code: (error as { code?: number }).code ?? -1 });
        },
        complete: () => resolve({ kind: 'complete' }),
      },
    );
  });
  return {
    received,
    ended,
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}
