import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadApiConfigFromEnv } from '../dist/infrastructure/config/api-config.js';
import { DEFAULT_API_LIMITS, readApiLimits } from '../dist/infrastructure/config/api-limits.js';
import { readPayloadKeys } from '@trellis/db';

describe('loadApiConfigFromEnv', () => {
  it('applies the documented defaults', () => {
    expect(loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/trellis', TRELLIS_ENCRYPT_PAYLOADS: 'false' })).toEqual({
      databaseUrl: 'postgresql://db/trellis',
      port: 4000,
      host: '0.0.0.0',
      temporalAddress: '127.0.0.1:7233',
      temporalNamespace: 'default',
      taskQueue: 'trellis',
      claimCheckThresholdBytes: 131_072,
      runReconcileIntervalMs: 60_000,
      limits: DEFAULT_API_LIMITS,
      payloadKeys: null,
    });
  });

  it('encrypts payloads by default, which needs TRELLIS_SECRET_KEY, with the worker’s keys', () => {
    expect(() => loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x' })).toThrow(/encrypted by default.*TRELLIS_SECRET_KEY.*TRELLIS_ENCRYPT_PAYLOADS=false/);
    expect(() => loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', TRELLIS_ENCRYPT_PAYLOADS: 'maybe' })).toThrow(/TRELLIS_ENCRYPT_PAYLOADS must be "true" or "false"/);
    const config = loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', TRELLIS_SECRET_KEY: 'k'.repeat(32), TRELLIS_PREVIOUS_SECRET_KEYS: 'o'.repeat(32) });
    expect(config.payloadKeys?.all).toHaveLength(2);
    expect(config.payloadKeys?.current.id).toBe(readPayloadKeys({ TRELLIS_SECRET_KEY: 'k'.repeat(32) })?.current.id);
  });

  it('reads every variable', () => {
    const config = loadApiConfigFromEnv({
      DATABASE_URL: 'postgresql://db/x',
      PORT: '0',
      HOST: '127.0.0.1',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'prod',
      TEMPORAL_TASK_QUEUE: 'q',
      TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES: '4096',
      TRELLIS_RUN_RECONCILE_INTERVAL_MS: ' 5000 ',
      TRELLIS_TEMPORAL_UI_URL: 'https://temporal.example.com/',
      TRELLIS_ENCRYPT_PAYLOADS: 'false',
    });
    expect(config).toEqual({
      databaseUrl: 'postgresql://db/x',
      port: 0,
      host: '127.0.0.1',
      temporalAddress: 'temporal:7233',
      temporalNamespace: 'prod',
      taskQueue: 'q',
      claimCheckThresholdBytes: 4096,
      runReconcileIntervalMs: 5000,
      limits: DEFAULT_API_LIMITS,
      temporalUiUrl: 'https://temporal.example.com',
      payloadKeys: null,
    });
    expect(() => loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', TRELLIS_TEMPORAL_UI_URL: 'temporal:8233' })).toThrow(/TRELLIS_TEMPORAL_UI_URL must be an http\(s\) URL/);
  });

  it('fails clearly without DATABASE_URL or with a bad PORT', () => {
    expect(() => loadApiConfigFromEnv({})).toThrow(ConfigurationError);
    expect(() => loadApiConfigFromEnv({ DATABASE_URL: ' ' })).toThrow(/DATABASE_URL is required/);
    expect(() => loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', PORT: 'http' })).toThrow(/PORT/);
    expect(() => loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', PORT: '70000' })).toThrow(/PORT/);
  });

  it('fails clearly with a claim-check threshold that is not a positive integer', () => {
    for (const value of ['0', '-5', '1.5', 'big']) {
      const env = { DATABASE_URL: 'postgresql://db/x', TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES: value };
      expect(() => loadApiConfigFromEnv(env)).toThrow(ConfigurationError);
      expect(() => loadApiConfigFromEnv(env)).toThrow(/TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES/);
    }
  });

  it('fails clearly with a run reconcile interval that is not an integer of at least 1000', () => {
    for (const value of ['999', '0', '-1000', '1500.5', 'often']) {
      const env = { DATABASE_URL: 'postgresql://db/x', TRELLIS_RUN_RECONCILE_INTERVAL_MS: value };
      expect(() => loadApiConfigFromEnv(env)).toThrow(ConfigurationError);
      expect(() => loadApiConfigFromEnv(env)).toThrow(/TRELLIS_RUN_RECONCILE_INTERVAL_MS/);
    }
    const minimum = loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', TRELLIS_RUN_RECONCILE_INTERVAL_MS: '1000', TRELLIS_ENCRYPT_PAYLOADS: 'false' });
    expect(minimum.runReconcileIntervalMs).toBe(1000);
  });
});

describe('readApiLimits', () => {
  it('defaults, and reads every limit from its variable', () => {
    expect(readApiLimits({})).toEqual(DEFAULT_API_LIMITS);
    expect(
      readApiLimits({
        TRELLIS_MAX_REQUEST_BYTES: '1024',
        TRELLIS_GRAPHQL_MAX_DEPTH: '5',
        TRELLIS_GRAPHQL_MAX_ALIASES: '3',
        TRELLIS_GRAPHQL_MAX_TOKENS: '100',
        TRELLIS_GRAPHQL_MAX_COST: '10',
        TRELLIS_RATE_LIMIT_PER_MINUTE: '0',
        TRELLIS_RUN_START_LIMITS: '7, 3, 1',
      }),
    ).toEqual({
      maxRequestBytes: 1024,
      graphqlMaxDepth: 5,
      graphqlMaxAliases: 3,
      graphqlMaxTokens: 100,
      graphqlMaxCost: 10,
      requestsPerMinute: 0,
      runStartsPerMinute: { plain: 7, fewAgents: 3, manyAgents: 1 },
      introspection: true,
    });
  });

  it('turns introspection off in production unless TRELLIS_GRAPHQL_INTROSPECTION says otherwise', () => {
    expect(readApiLimits({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(readApiLimits({ NODE_ENV: 'production', TRELLIS_GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(readApiLimits({ TRELLIS_GRAPHQL_INTROSPECTION: 'FALSE' }).introspection).toBe(false);
  });

  it('refuses values that are not limits, naming the variable', () => {
    expect(() => readApiLimits({ TRELLIS_MAX_REQUEST_BYTES: '0' })).toThrow(/TRELLIS_MAX_REQUEST_BYTES/);
    expect(() => readApiLimits({ TRELLIS_GRAPHQL_MAX_DEPTH: '1.5' })).toThrow(/TRELLIS_GRAPHQL_MAX_DEPTH/);
    expect(() => readApiLimits({ TRELLIS_RUN_START_LIMITS: '100,20' })).toThrow(/TRELLIS_RUN_START_LIMITS/);
    expect(() => readApiLimits({ TRELLIS_GRAPHQL_INTROSPECTION: 'yes' })).toThrow(/TRELLIS_GRAPHQL_INTROSPECTION/);
    expect(() => readApiLimits({ TRELLIS_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/TRELLIS_RATE_LIMIT_PER_MINUTE/);
  });
});
