import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { listenForRunEvents, type RunEventListener, type RunEventNotification } from '@trellis/db';
import type { Logger } from 'pino';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';

/** What a subscription registers with the bus. Handlers must not throw. */
export interface RunEventsWatcher {
  /** A notification about the watched run or agent. */
  onNotification(notification: RunEventNotification): void;
  /** Notifications may have been missed (the listener just (re)connected): re-read from the database. */
  onResync(): void;
  /** The API is shutting down: end the stream. */
  onShutdown(): void;
}

/**
 * The API's single `LISTEN trellis_run_events` connection (see `listenForRunEvents` in `@trellis/db`),
 * fanned out in-process to the subscriptions watching a run or an agent. Reconnects on its own and asks
 * every watcher to resync after a reconnection; closes on application shutdown.
 */
@Injectable()
export class RunEventsBus implements OnModuleInit, OnApplicationShutdown {
  private listener?: RunEventListener;
  private readonly byRun = new Map<string, Set<RunEventsWatcher>>();
  private readonly byAgent = new Map<string, Set<RunEventsWatcher>>();
  private readonly byWorkspace = new Map<string, Set<RunEventsWatcher>>();

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Starts listening without waiting for the connection: the API starts even while Postgres is down. */
  onModuleInit(): void {
    this.listener = listenForRunEvents({
      databaseUrl: this.config.databaseUrl,
      onNotification: (notification) => this.dispatch(notification),
      onConnected: ({ reconnected }) => {
        if (reconnected) this.logger.info('run-events listener reconnected');
        for (const watcher of this.allWatchers()) watcher.onResync();
      },
      onError: (error) => this.logger.warn({ err: error }, 'run-events listener lost its connection; reconnecting'),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const watcher of this.allWatchers()) watcher.onShutdown();
    this.byRun.clear();
    this.byAgent.clear();
    this.byWorkspace.clear();
    await this.listener?.close();
  }

  /** Resolves once `LISTEN` is active (never rejects). */
  ready(): Promise<void> {
    return this.listener?.ready ?? Promise.resolve();
  }

  /** Registers `watcher` for the events of run `runId`; returns the function that unregisters it. */
  watchRun(runId: string, watcher: RunEventsWatcher): () => void {
    return this.add(this.byRun, runId, watcher);
  }

  /** Registers `watcher` for the events of every run of agent `agentId`; returns the unregister function. */
  watchAgent(agentId: string, watcher: RunEventsWatcher): () => void {
    return this.add(this.byAgent, agentId, watcher);
  }

  /** Registers `watcher` for the events of every run of workspace `workspaceId`; returns the unregister function. */
  watchWorkspace(workspaceId: string, watcher: RunEventsWatcher): () => void {
    return this.add(this.byWorkspace, workspaceId, watcher);
  }

  private add(index: Map<string, Set<RunEventsWatcher>>, key: string, watcher: RunEventsWatcher): () => void {
    let watchers = index.get(key);
    if (!watchers) index.set(key, (watchers = new Set()));
    watchers.add(watcher);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && index.get(key) === watchers) index.delete(key);
    };
  }

  private dispatch(notification: RunEventNotification): void {
    for (const watcher of this.byRun.get(notification.runId) ?? []) watcher.onNotification(notification);
    for (const watcher of this.byAgent.get(notification.agentId) ?? []) watcher.onNotification(notification);
    if (notification.workspaceId) {
      for (const watcher of this.byWorkspace.get(notification.workspaceId) ?? []) watcher.onNotification(notification);
    }
  }

  private *allWatchers(): Iterable<RunEventsWatcher> {
    for (const watchers of [...this.byRun.values(), ...this.byAgent.values(), ...this.byWorkspace.values()]) yield* [...watchers];
  }
}
