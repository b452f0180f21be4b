/**
 * A dedicated Postgres connection that `LISTEN`s on the run-events channel and reconnects when lost.
 */
import pg from 'pg';
import { parseRunEventNotification, RUN_EVENTS_CHANNEL, type RunEventNotification } from './run-event-types.js';

/** Options of {@link listenForRunEvents}. */
export interface RunEventListenerOptions {
  /** `postgresql://` URL of the database the writers notify on. */
  databaseUrl: string;
  /** Called for every well-formed notification, in commit order. Must not throw. */
  onNotification(notification: RunEventNotification): void;
  /**
   * Called each time `LISTEN` becomes active, the first time included. Notifications sent while the
   * listener was not connected are lost, so callers re-read what they follow from the database here.
   */
  onConnected?(info: { reconnected: boolean }): void;
  /** Called when the connection fails or cannot be opened (a reconnect follows). Default: ignored. */
  onError?(error: unknown): void;
  /** First reconnect delay (ms), doubled after each failure up to {@link maxRetryDelayMs}; default 100. */
  minRetryDelayMs?: number;
  /** Longest reconnect delay (ms); default 5000. */
  maxRetryDelayMs?: number;
}

/** A running listener. */
export interface RunEventListener {
  /** Resolves once `LISTEN` is first active; never rejects (failures are retried and reported to `onError`). */
  readonly ready: Promise<void>;
  /** Whether `LISTEN` is active right now. */
  readonly connected: boolean;
  /** Stops reconnecting and closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens one connection with `LISTEN trellis_run_events` and keeps it open: on error or disconnection it
 * reconnects with exponential backoff and calls `onConnected` again. Returns at once; see `ready`.
 */
export function listenForRunEvents(options: RunEventListenerOptions): RunEventListener {
  const minDelay = options.minRetryDelayMs ?? 100;
  const maxDelay = options.maxRetryDelayMs ?? 5_000;
  let client: pg.Client | undefined;
  let closed = false;
  let connected = false;
  let everConnected = false;
  let delay = minDelay;
  let retryTimer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // A failing error reporter must not stop the reconnect loop.
    }
  };

  const scheduleReconnect = (): void => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    delay = Math.min(delay * 2, maxDelay);
  };

  const drop = (candidate: pg.Client, error?: unknown): void => {
    if (client !== candidate) return;
    client = undefined;
    connected = false;
    if (error !== undefined) report(error);
    candidate.removeAllListeners('notification');
    candidate.end().catch(() => {});
    scheduleReconnect();
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const candidate = new pg.Client({ connectionString: options.databaseUrl, keepAlive: true });
    client = candidate;
    candidate.on('error', (error) => drop(candidate, error));
    candidate.on('end', () => drop(candidate, closed ? undefined : new Error('run-events listener connection ended')));
    candidate.on('notification', (message) => {
      if (message.channel !== RUN_EVENTS_CHANNEL) return;
      const notification = parseRunEventNotification(message.payload);
      if (notification) options.onNotification(notification);
    });
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
    } catch (error) {
      drop(candidate, error);
      return;
    }
    if (client !== candidate || closed) return;
    connected = true;
    delay = minDelay;
    const reconnected = everConnected;
    everConnected = true;
    markReady();
    options.onConnected?.({ reconnected });
  };

  void connect();

  return {
    ready,
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = client;
      client = undefined;
      connected = false;
      if (current) {
        current.removeAllListeners('notification');
        await current.end().catch(() => {});
      }
    },
  };
}
