import { useSyncExternalStore } from 'react';

/**
 * The live connection (the graphql-ws socket behind every subscription): `idle` when no subscription needs
 * it, `connected`, or `lost` after it dropped, while the client reconnects by itself. `reconnections`
 * counts the times it came back after being lost, so live views can resume from what they last saw.
 */
export interface ConnectionState {
  status: 'idle' | 'connected' | 'lost';
  reconnections: number;
}

let state: ConnectionState = { status: 'idle', reconnections: 0 };
const listeners = new Set<() => void>();

function publish(next: ConnectionState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Socket events, from the graphql-ws client's `on` handlers. */
export const connectionEvents = {
  connected(): void {
    publish({ status: 'connected', reconnections: state.status === 'lost' ? state.reconnections + 1 : state.reconnections });
  },
  /** A close with code 1000 is the client's own idle close (no subscription left); any other is a loss. */
  closed(code: number | undefined): void {
    publish({ status: code === 1000 ? 'idle' : 'lost', reconnections: state.reconnections });
  },
};

/** The connection state, re-rendering on every change. */
export function useConnection(): ConnectionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
