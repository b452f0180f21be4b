import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadApiConfigFromEnv } from '../dist/infrastructure/config/api-config.js';

describe('loadApiConfigFromEnv', () => {
  it('applies the documented defaults', () => {
    expect(loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/trellis' })).toEqual({
      databaseUrl: 'postgresql://db/trellis',
      port: 4000,
      host: '0.0.0.0',
      temporalAddress: '127.0.0.1:7233',
      temporalNamespace: 'default',
      taskQueue: 'trellis',
      claimCheckThresholdBytes: 131_072,
      runReconcileIntervalMs: 60_000,
    });
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
    });
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
    const minimum = loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', TRELLIS_RUN_RECONCILE_INTERVAL_MS: '1000' });
    expect(minimum.runReconcileIntervalMs).toBe(1000);
  });
});
