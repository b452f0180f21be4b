import { ConfigurationError } from './api-config.js';

/**
 * Bounds on what one client may ask of the API, each configurable by the environment variable named.
 * Defaults: a GraphQL depth of 12 and a 5 MiB body as the hardening guides of the field recommend; 600
 * requests per minute per principal; run starts per workspace per minute by how many `agent` nodes the
 * DAG has (none: 100, one or two: 20, more: 5), so runs that call models cost their workspace more.
 */
export interface ApiLimits {
  /** Largest request body (bytes); `TRELLIS_MAX_REQUEST_BYTES`. Answered with 413 `PAYLOAD_TOO_LARGE`. */
  maxRequestBytes: number;
  /** Deepest selection of a GraphQL operation (fields nested in fields, fragments expanded); `TRELLIS_GRAPHQL_MAX_DEPTH`. */
  graphqlMaxDepth: number;
  /** Most aliases in one GraphQL operation; `TRELLIS_GRAPHQL_MAX_ALIASES`. */
  graphqlMaxAliases: number;
  /** Most lexical tokens in one GraphQL document; `TRELLIS_GRAPHQL_MAX_TOKENS`. */
  graphqlMaxTokens: number;
  /**
   * Highest cost of one operation: each field costs 1, and a list field multiplies what it selects by its
   * `first` argument (or its largest page when it has none); `TRELLIS_GRAPHQL_MAX_COST`.
   */
  graphqlMaxCost: number;
  /** Requests per minute per principal (API key, session), 0 for none; `TRELLIS_RATE_LIMIT_PER_MINUTE`. */
  requestsPerMinute: number;
  /**
   * Run starts per minute per workspace for DAGs with no `agent` node, one or two, and more;
   * `TRELLIS_RUN_START_LIMITS` as three numbers, `100,20,5`.
   */
  runStartsPerMinute: { plain: number; fewAgents: number; manyAgents: number };
  /** Introspection and the GraphQL sandbox: on unless `NODE_ENV=production`; `TRELLIS_GRAPHQL_INTROSPECTION=true|false`. */
  introspection: boolean;
}

/** The defaults of {@link ApiLimits} (introspection as for a development machine). */
export const DEFAULT_API_LIMITS: ApiLimits = {
  maxRequestBytes: 5 * 1024 * 1024,
  graphqlMaxDepth: 12,
  graphqlMaxAliases: 30,
  graphqlMaxTokens: 20_000,
  graphqlMaxCost: 50_000,
  requestsPerMinute: 600,
  runStartsPerMinute: { plain: 100, fewAgents: 20, manyAgents: 5 },
  introspection: true,
};

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, allowZero = false): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new ConfigurationError(`${name} must be an integer of at least ${allowZero ? 0 : 1}, got "${raw}"`);
  }
  return value;
}

/**
 * Reads {@link ApiLimits} from the environment (see each field for its variable).
 *
 * @throws ConfigurationError for a value that is not a positive integer, a `TRELLIS_RUN_START_LIMITS` that
 *   is not three of them, or a `TRELLIS_GRAPHQL_INTROSPECTION` other than true or false
 */
export function readApiLimits(env: NodeJS.ProcessEnv): ApiLimits {
  const starts = env.TRELLIS_RUN_START_LIMITS?.trim();
  let runStartsPerMinute = DEFAULT_API_LIMITS.runStartsPerMinute;
  if (starts) {
    const parts = starts.split(',').map((part) => Number(part.trim()));
    if (parts.length !== 3 || parts.some((part) => !Number.isInteger(part) || part < 1)) {
      throw new ConfigurationError(`TRELLIS_RUN_START_LIMITS must be three positive integers such as 100,20,5, got "${starts}"`);
    }
    runStartsPerMinute = { plain: parts[0], fewAgents: parts[1], manyAgents: parts[2] };
  }
  const introspectionSetting = env.TRELLIS_GRAPHQL_INTROSPECTION?.trim().toLowerCase();
  if (introspectionSetting && introspectionSetting !== 'true' && introspectionSetting !== 'false') {
    throw new ConfigurationError(`TRELLIS_GRAPHQL_INTROSPECTION must be true or false, got "${introspectionSetting}"`);
  }
  return {
    maxRequestBytes: positiveInteger(env, 'TRELLIS_MAX_REQUEST_BYTES', DEFAULT_API_LIMITS.maxRequestBytes),
    graphqlMaxDepth: positiveInteger(env, 'TRELLIS_GRAPHQL_MAX_DEPTH', DEFAULT_API_LIMITS.graphqlMaxDepth),
    graphqlMaxAliases: positiveInteger(env, 'TRELLIS_GRAPHQL_MAX_ALIASES', DEFAULT_API_LIMITS.graphqlMaxAliases),
    graphqlMaxTokens: positiveInteger(env, 'TRELLIS_GRAPHQL_MAX_TOKENS', DEFAULT_API_LIMITS.graphqlMaxTokens),
    graphqlMaxCost: positiveInteger(env, 'TRELLIS_GRAPHQL_MAX_COST', DEFAULT_API_LIMITS.graphqlMaxCost),
    requestsPerMinute: positiveInteger(env, 'TRELLIS_RATE_LIMIT_PER_MINUTE', DEFAULT_API_LIMITS.requestsPerMinute, true),
    runStartsPerMinute,
    introspection: introspectionSetting ? introspectionSetting === 'true' : env.NODE_ENV !== 'production',
  };
}
