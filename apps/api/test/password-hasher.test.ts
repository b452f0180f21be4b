import { hash as argon2Hash, parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
  DUMMY_PASSWORD_HASH,
  hashPassword,
  passwordIssues,
  passwordNeedsRehash,
  PasswordPolicyError,
  verifyAgainstDummy,
  verifyPassword,
} from '../dist/modules/identity/credentials/password-hasher.js';

/** argon2id, version 0x13, OWASP's m=19 MiB (in KiB), t=2, p=1, a 16-byte salt and a 32-byte digest (unpadded base64). */
const PHC_PATTERN = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;
const PASSWORD = 'correct horse battery staple';

describe('hashPassword and verifyPassword', () => {
  it('hashes to an argon2id PHC string with the OWASP parameters and a fresh salt', async () => {
    const first = await hashPassword(PASSWORD);
    const second = await hashPassword(PASSWORD);
    expect(first).toMatch(PHC_PATTERN);
    expect(second).toMatch(PHC_PATTERN);
    expect(first).not.toBe(second);
    expect(first).not.toContain(PASSWORD);
  });

  it('verifies the password and nothing else', async () => {
    const stored = await hashPassword(PASSWORD);
    await expect(verifyPassword(stored, PASSWORD)).resolves.toBe(true);
    await expect(verifyPassword(stored, `${PASSWORD} `)).resolves.toBe(false);
    await expect(verifyPassword(stored, 'Correct horse battery staple')).resolves.toBe(false);
    await expect(verifyPassword(stored, '')).resolves.toBe(false);
  });

  it('answers false, without throwing, for a malformed hash', async () => {
    const stored = await hashPassword(PASSWORD);
    const malformed = [
      '',
      'not a hash',
      stored.slice(0, 40),
      stored.replace('$argon2id$', '$argon2xx$'),
      '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB',
      '$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
    ];
    for (const value of malformed) await expect(verifyPassword(value, PASSWORD)).resolves.toBe(false);
  });

  it('normalises (NFKC): a decomposed é matches the composed one it was set with', async () => {
    const composed = 'caf\u00e9 au lait, s\u00e9r\u00e9nit\u00e9';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    await expect(verifyPassword(await hashPassword(composed), decomposed)).resolves.toBe(true);
  });

  it('refuses to hash a password the policy rejects', async () => {
    await expect(hashPassword('elevenchars')).rejects.toThrow(PasswordPolicyError);
    await expect(hashPassword('x'.repeat(1_025))).rejects.toThrow(/at most 1024 bytes/);
  });

  it('answers false for a password over 1,024 bytes without hashing it', async () => {
    const stored = await argon2Hash('y'.repeat(1_025), { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    await expect(verifyPassword(stored, 'y'.repeat(1_025))).resolves.toBe(false);
  });
});

describe('passwordIssues', () => {
  it('rejects 11 code points and accepts 12', () => {
    expect(passwordIssues('a'.repeat(11))).toEqual(['must be at least 12 characters long (has 11)']);
    expect(passwordIssues('a'.repeat(12))).toEqual([]);
    expect(passwordIssues('')).toHaveLength(1);
  });

  it('counts code points, not UTF-16 units: 11 emoji are too short though their length is 22', () => {
    const eleven = '\u{1F600}'.repeat(11);
    expect(eleven).toHaveLength(22);
    expect(passwordIssues(eleven)).toEqual(['must be at least 12 characters long (has 11)']);
    expect(passwordIssues('\u{1F600}'.repeat(12))).toEqual([]);
  });

  it('measures after normalisation: 6 decomposed é are 12 code points typed but 6 stored', () => {
    expect(passwordIssues('e\u0301'.repeat(6))).toEqual(['must be at least 12 characters long (has 6)']);
  });

  it('accepts up to 1,024 UTF-8 bytes and rejects more, counting multi-byte characters by their bytes', () => {
    expect(passwordIssues('x'.repeat(1_024))).toEqual([]);
    expect(passwordIssues('x'.repeat(1_025))).toEqual(['must be at most 1024 bytes long in UTF-8 (has 1025)']);
    expect(passwordIssues('\u00e9'.repeat(512))).toEqual([]);
    expect(passwordIssues('\u00e9'.repeat(513))).toEqual(['must be at most 1024 bytes long in UTF-8 (has 1026)']);
  });
});

describe('verifyAgainstDummy', () => {
  it('uses a hash with exactly the parameters of real hashes, and is never true', async () => {
    expect(DUMMY_PASSWORD_HASH).toMatch(PHC_PATTERN);
    expect(parseOptions(DUMMY_PASSWORD_HASH)).toEqual(parseOptions(await hashPassword(PASSWORD)));
    await expect(verifyAgainstDummy(PASSWORD)).resolves.toBe(false);
    await expect(verifyAgainstDummy('')).resolves.toBe(false);
  });

  it('runs a real verification: it takes about as long as checking a wrong password', async () => {
    const stored = await hashPassword(PASSWORD);
    const fastest = async (check: () => Promise<unknown>): Promise<number> => {
      let best = Infinity;
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const start = performance.now();
        await check();
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const real = await fastest(() => verifyPassword(stored, 'wrong password!'));
    const dummy = await fastest(() => verifyAgainstDummy('wrong password!'));
    // A lower bound only (a busy machine slows either): skipping the argon2 work would be ~1,000 times faster.
    expect(dummy).toBeGreaterThan(real / 5);
  });
});

describe('passwordNeedsRehash', () => {
  it('is false for a current hash and true for other parameters or a malformed hash', async () => {
    expect(passwordNeedsRehash(await hashPassword(PASSWORD))).toBe(false);
    expect(passwordNeedsRehash(await argon2Hash(PASSWORD, { memoryCost: 19_456, timeCost: 3, parallelism: 1 }))).toBe(true);
    expect(passwordNeedsRehash(await argon2Hash(PASSWORD, { memoryCost: 8_192, timeCost: 2, parallelism: 1 }))).toBe(true);
    expect(passwordNeedsRehash('not a hash')).toBe(true);
  });
});
