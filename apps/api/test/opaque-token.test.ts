import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksLikeApiKey } from '../dist/modules/identity/credentials/api-key-format.js';
import { generateOpaqueToken, hashOpaqueToken } from '../dist/modules/identity/credentials/opaque-token.js';

describe('generateOpaqueToken', () => {
  const tokens = Array.from({ length: 1_000 }, () => generateOpaqueToken());

  it('makes 43-character base64url tokens of 32 random bytes, all distinct', () => {
    for (const { token } of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(Buffer.from(token, 'base64url').toString('base64url')).toBe(token);
    }
    expect(new Set(tokens.map(({ token }) => token)).size).toBe(tokens.length);
  });

  it('returns the hex SHA-256 of the token string, as hashOpaqueToken does', () => {
    for (const { token, hash } of tokens) {
      expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(hashOpaqueToken(token)).toBe(hash);
    }
  });

  it('is never taken for an API key, even when it happens to start with trl_', () => {
    for (const { token } of tokens) expect(looksLikeApiKey(token)).toBe(false);
    expect(looksLikeApiKey(`trl_${'A'.repeat(39)}`)).toBe(false);
  });
});
