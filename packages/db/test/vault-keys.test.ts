/**
 * The vault's envelope encryption: values open only in their own workspace and under their own name, a
 * wrapped data key is recognised by its master key's id, and a rotation re-wraps data keys so the retired
 * master key is no longer needed, while the values sealed under them stay as they are.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { needsRewrap, newDataKey, openSecret, readVaultMasterKeys, rewrapDataKey, SealedBoxError, sealSecret, unwrapDataKey, VaultConfigError } from '../src/index.js';

const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);

describe('vault keys', () => {
  it('seals a value under a workspace data key and opens it only for that workspace and name', () => {
    const keys = readVaultMasterKeys({ TRELLIS_SECRET_KEY: OLD });
    const workspace = randomUUID();
    const { dataKey, wrapped } = newDataKey(keys, workspace);
    const sealed = sealSecret(dataKey, workspace, 'STRIPE_KEY', 'sk_live_123');
    expect(sealed).not.toContain('sk_live_123');
    expect(openSecret(unwrapDataKey(keys, workspace, wrapped), workspace, 'STRIPE_KEY', sealed)).toBe('sk_live_123');
    // Moved to another name or workspace, or with its data key moved to another workspace, nothing opens.
    expect(() => openSecret(dataKey, workspace, 'OTHER_KEY', sealed)).toThrow(SealedBoxError);
    expect(() => openSecret(dataKey, randomUUID(), 'STRIPE_KEY', sealed)).toThrow(SealedBoxError);
    expect(() => unwrapDataKey(keys, randomUUID(), wrapped)).toThrow(SealedBoxError);
    // Tampered ciphertext fails authentication.
    const parts = sealed.split(':');
    parts[4] = Buffer.from('sk_live_999').toString('base64url');
    expect(() => openSecret(dataKey, workspace, 'STRIPE_KEY', parts.join(':'))).toThrow('failed authentication');
  });

  it('rotates: the retired key still opens old wrappings, re-wrapping moves them to the new key, and then the old key can go', () => {
    const workspace = randomUUID();
    const before = readVaultMasterKeys({ TRELLIS_SECRET_KEY: OLD });
    const { dataKey, wrapped } = newDataKey(before, workspace);
    const sealed = sealSecret(dataKey, workspace, 'API_TOKEN', 'token-1');

    const rotating = readVaultMasterKeys({ TRELLIS_SECRET_KEY: NEW, TRELLIS_PREVIOUS_SECRET_KEYS: ` ${OLD} ` });
    expect(needsRewrap(rotating, wrapped)).toBe(true);
    expect(openSecret(unwrapDataKey(rotating, workspace, wrapped), workspace, 'API_TOKEN', sealed)).toBe('token-1');
    const rewrapped = rewrapDataKey(rotating, workspace, wrapped);
    expect(needsRewrap(rotating, rewrapped)).toBe(false);

    const after = readVaultMasterKeys({ TRELLIS_SECRET_KEY: NEW });
    expect(openSecret(unwrapDataKey(after, workspace, rewrapped), workspace, 'API_TOKEN', sealed)).toBe('token-1');
    expect(() => unwrapDataKey(after, workspace, wrapped)).toThrow(/not configured/);
  });

  it('needs a master key of at least 32 characters', () => {
    expect(() => readVaultMasterKeys({})).toThrow(VaultConfigError);
    expect(() => readVaultMasterKeys({ TRELLIS_SECRET_KEY: 'short' })).toThrow(/at least 32 characters/);
  });
});
