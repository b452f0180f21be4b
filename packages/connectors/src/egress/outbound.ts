/**
 * Trellis's one outbound path for requests made on a DAG's behalf. Every connection a node opens, its own
 * (`request`) or an LLM SDK's, goes through a session's undici agent, whose connector checks the secrets'
 * `allowedHosts` and then the egress policy (`guardedConnector`) before a socket exists.
 *
 * SDKs that call the global `fetch` themselves run inside {@link OutboundSession.run}: the process's global
 * dispatcher is a router that sends the requests made inside a session to that session's agent, and every
 * other request to the dispatcher that was global before.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent, Dispatcher, buildConnector, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import type { EgressPolicy } from './egress-policy.js';
import { EgressBlockedError, guardedConnector, type Resolver } from './guarded-connector.js';

/** A secret resolved for one node: its value (for redaction and redirects) and where it may be sent. */
export interface SecretUse {
  name: string;
  value: string;
  /** Host names or addresses, each optionally with `:port`; empty: any host. */
  allowedHosts: readonly string[];
}

/** A secret about to be sent to a host outside its `allowedHosts`; nothing was sent. Never retried. */
export class SecretHostNotAllowedError extends Error {
  override readonly name = 'SecretHostNotAllowed';
  constructor(
    readonly secret: string,
    readonly host: string,
  ) {
    super(`secret ${secret} may not be sent to ${host} (not in its allowedHosts); nothing was sent`);
  }
}

/** Options of {@link createOutbound}. */
export interface OutboundOptions {
  /** The resolver (default the system's); tests pass one they control. */
  resolve?: Resolver;
  /** Opens the checked socket (default undici's); tests wrap it to record and refuse connections. */
  connect?: buildConnector.connector;
  /** Cap on a response body, bytes. Default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  maxResponseBytes?: number;
}

/** 50 MiB: large enough for any API answer, small enough that one node cannot exhaust a worker's memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/** The egress policy and the settings every session of a worker shares. */
export interface Outbound {
  readonly policy: EgressPolicy;
  /** Default response cap, bytes. */
  readonly maxResponseBytes: number;
  /** Opens a session for one node's requests, sending `secrets` only to their allowed hosts. Close it after use. */
  open(secrets?: readonly SecretUse[]): OutboundSession;
}

/** The connections of one node attempt; see {@link Outbound.open}. */
export interface OutboundSession {
  /** Pass as undici's `dispatcher`. */
  readonly dispatcher: Dispatcher;
  readonly secrets: readonly SecretUse[];
  /** Default response cap, bytes (the outbound path's). */
  readonly maxResponseBytes: number;
  /** The first connection this session refused, if any (SDKs drop the cause from the errors they throw). */
  readonly refusal: EgressBlockedError | SecretHostNotAllowedError | undefined;
  /**
   * Refuses `host:port` when a secret of the session may not go there.
   * @throws SecretHostNotAllowedError
   */
  checkSecretHosts(hostname: string, port: number): void;
  /** Runs `fn` with the global `fetch` routed through this session (for SDKs with a fetch of their own). */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Closes the session's connections. */
  close(): Promise<void>;
}

const activeSession = new AsyncLocalStorage<Dispatcher>();

/** Sends the requests made inside {@link OutboundSession.run} to that session, and the others where they went before. */
class SessionRouter extends Dispatcher {
  constructor(readonly fallback: Dispatcher) {
    super();
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return (activeSession.getStore() ?? this.fallback).dispatch(options, handler);
  }
  override close(): Promise<void> {
    return this.fallback.close();
  }
  override destroy(): Promise<void> {
    return this.fallback.destroy();
  }
}

/** Makes the global dispatcher a {@link SessionRouter}, again if something replaced it since. */
function routeGlobalFetch(): void {
  const current = getGlobalDispatcher();
  if (!(current instanceof SessionRouter)) setGlobalDispatcher(new SessionRouter(current));
}

/** True when `allowed` (`host` or `host:port`, IPv6 in brackets) admits `hostname:port`. */
function hostAdmits(allowed: string, hostname: string, port: number): boolean {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(allowed.toLowerCase());
  if (!match) return false;
  const host = match[1].replace(/^\[|\]$/g, '');
  return host === hostname.replace(/^\[|\]$/g, '').toLowerCase() && (match[2] === undefined || Number(match[2]) === port);
}

/**
 * The worker's outbound path under `policy`.
 * @throws RangeError when `maxResponseBytes` is not a positive integer
 */
export function createOutbound(policy: EgressPolicy, options: OutboundOptions = {}): Outbound {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes <= 0) throw new RangeError(`maxResponseBytes must be a positive integer, got ${maxResponseBytes}`);
  const guarded = guardedConnector(policy, { resolve: options.resolve, connect: options.connect });
  return {
    policy,
    maxResponseBytes,
    open(secrets = []) {
      let refusal: OutboundSession['refusal'];
      const checkSecretHosts = (hostname: string, port: number) => {
        for (const secret of secrets) {
          if (secret.allowedHosts.length > 0 && !secret.allowedHosts.some((allowed) => hostAdmits(allowed, hostname, port))) {
            throw new SecretHostNotAllowedError(secret.name, `${hostname}:${port}`);
          }
        }
      };
      const agent = new Agent({
        connect: (connection, callback) => {
          const port = Number(connection.port || (connection.protocol === 'https:' ? 443 : 80));
          try {
            checkSecretHosts(connection.hostname, port);
          } catch (error) {
            refusal ??= error as SecretHostNotAllowedError;
            return callback(error as Error, null);
          }
          guarded(connection, (error, socket) => {
            if (error instanceof EgressBlockedError) refusal ??= error;
            callback(error as Error, socket as never);
          });
        },
      });
      return {
        dispatcher: agent,
        secrets,
        maxResponseBytes,
        get refusal() {
          return refusal;
        },
        checkSecretHosts,
        run(fn) {
          routeGlobalFetch();
          return activeSession.run(agent, fn);
        },
        close: () => agent.close(),
      };
    },
  };
}
