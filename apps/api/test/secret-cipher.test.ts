import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ApiConfig } from '../dist/infrastructure/config/api-config.js';
import { SecretCipher, SecretDecryptionError } from '../dist/modules/webhooks/services/secret-cipher.service.js';

function cipherWith(secretKey: string | undefined, logger = pino({ level: 'silent' })): SecretCipher {
  return new SecretCipher({ secretKey } as ApiConfig, logger);
}

describe('SecretCipher', () => {
  const key = randomBytes(32).toString('hex');

  it('round-trips, with a fresh IV each time', () => {
    const cipher = cipherWith(key);
    const first = cipher.encrypt('whsec_abc', 'agent:1');
    const second = cipher.encrypt('whsec_abc', 'agent:1');
    expect(first).not.toBe(second);
    expect(first).not.toContain('whsec_abc');
    expect(cipher.decrypt(first, 'agent:1')).toBe('whsec_abc');
    expect(cipherWith(key).decrypt(second, 'agent:1')).toBe('whsec_abc');
  });

  it('refuses another context, a tampered value, another key and garbage', () => {
    const cipher = cipherWith(key);
    const stored = cipher.encrypt('whsec_abc', 'agent:1');
    expect(() => cipher.decrypt(stored, 'agent:2')).toThrow(SecretDecryptionError);

    const parts = stored.split(':');
    const ciphertext = Buffer.from(parts[4], 'base64url');
    ciphertext[0] ^= 1;
    const tampered = [...parts.slice(0, 4), ciphertext.toString('base64url')].join(':');
    expect(() => cipher.decrypt(tampered, 'agent:1')).toThrow(SecretDecryptionError);
    const shortTag = [...parts.slice(0, 3), parts[3].slice(0, 8), parts[4]].join(':');
    expect(() => cipher.decrypt(shortTag, 'agent:1')).toThrow(SecretDecryptionError);

    expect(() => cipherWith(randomBytes(32).toString('hex')).decrypt(stored, 'agent:1')).toThrow(/another TRELLIS_SECRET_KEY/);
    expect(() => cipher.decrypt('whsec_abc', 'agent:1')).toThrow(SecretDecryptionError);
  });

  it('warns when TRELLIS_SECRET_KEY is unset and still works with the development key', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const cipher = cipherWith(undefined, logger);
    expect(lines.join('')).toMatch(/TRELLIS_SECRET_KEY is not set/);
    expect(cipher.decrypt(cipher.encrypt('s', 'c'), 'c')).toBe('s');
    expect(() => cipherWith(key).decrypt(cipher.encrypt('s', 'c'), 'c')).toThrow(SecretDecryptionError);
  });
});
