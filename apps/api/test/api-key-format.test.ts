import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  API_KEY_LENGTH,
  generateApiKey,
  hashApiKey,
  looksLikeApiKey,
  parseApiKey,
} from '../dist/modules/identity/credentials/api-key-format.js';
import { base62Width, encodeBase62, encodeBase62Bytes } from '../dist/modules/identity/credentials/base62.js';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** `trl_`, 43 base62 digits of random part, 6 of checksum. */
const KEY_PATTERN = /^trl_[0-9A-Za-z]{43}[0-9A-Za-z]{6}$/;

/** Decodes base62 independently of the module's encoder. */
function decodeBase62(digits: string): bigint {
  let value = 0n;
  for (const digit of digits) value = value * 62n + BigInt(DIGITS.indexOf(digit));
  return value;
}

/** `value` with the character at `index` replaced by another base62 digit. */
function flip(value: string, index: number): string {
  const next = DIGITS[(DIGITS.indexOf(value[index]) + 1) % DIGITS.length];
  return value.slice(0, index) + next + value.slice(index + 1);
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

describe('generateApiKey', () => {
  const keys = Array.from({ length: 1_000 }, () => generateApiKey());

  it('makes keys of the documented format and fixed length, all distinct', () => {
    expect(API_KEY_LENGTH).toBe(53);
    for (const { key } of keys) {
      expect(key).toMatch(KEY_PATTERN);
      expect(key).toHaveLength(53);
    }
    expect(new Set(keys.map(({ key }) => key)).size).toBe(keys.length);
  });

  it('ends each key with the base62 CRC32 of everything before it', () => {
    for (const { key } of keys.slice(0, 100)) {
      const body = key.slice(0, -6);
      expect(decodeBase62(key.slice(-6))).toBe(BigInt(crc32(body)));
    }
  });

  it('gives a 12-character display prefix that starts the key, and the SHA-256 of the whole key', () => {
    for (const { key, prefix, hash } of keys) {
      expect(prefix).toHaveLength(12);
      expect(key.startsWith(prefix)).toBe(true);
      expect(hash).toBe(sha256(key));
      expect(hashApiKey(key)).toBe(hash);
    }
  });

  it('parses every generated key, returning its display prefix', () => {
    for (const { key, prefix } of keys) expect(parseApiKey(key)).toEqual({ ok: true, prefix });
  });
});

describe('parseApiKey', () => {
  const { key } = generateApiKey();
  const format = { ok: false, reason: 'format' };
  const checksum = { ok: false, reason: 'checksum' };

  it('rejects the empty string and a wrong prefix as format errors', () => {
    expect(parseApiKey('')).toEqual(format);
    expect(parseApiKey(`ghp_${key.slice(4)}`)).toEqual(format);
    expect(parseApiKey(`TRL_${key.slice(4)}`)).toEqual(format);
    expect(parseApiKey(`trl-${key.slice(4)}`)).toEqual(format);
  });

  it('rejects characters outside base62 as format errors', () => {
    for (const bad of ['-', '_', '+', '/', '=', ' ', 'é']) {
      expect(parseApiKey(key.slice(0, 10) + bad + key.slice(11))).toEqual(format);
      expect(parseApiKey(key.slice(0, -1) + bad)).toEqual(format);
    }
  });

  it('rejects a wrong length as a format error', () => {
    expect(parseApiKey(key.slice(0, -1))).toEqual(format);
    expect(parseApiKey(`${key}0`)).toEqual(format);
    expect(parseApiKey(` ${key}`)).toEqual(format);
    expect(parseApiKey(key.slice(0, 4) + key.slice(5))).toEqual(format);
  });

  it('rejects one changed character anywhere in the random part as a checksum error', () => {
    for (let index = 4; index < 4 + 43; index += 1) expect(parseApiKey(flip(key, index))).toEqual(checksum);
  });

  it('rejects one changed character anywhere in the checksum as a checksum error', () => {
    for (let index = 53 - 6; index < 53; index += 1) expect(parseApiKey(flip(key, index))).toEqual(checksum);
  });

  it('checksums the prefix too: a checksum of the random part alone is refused', () => {
    const random = key.slice(4, -6);
    expect(parseApiKey(`trl_${random}${encodeBase62(BigInt(crc32(random)), 6)}`)).toEqual(checksum);
    expect(parseApiKey(`trl_${random}${encodeBase62(BigInt(crc32(`trl_${random}`)), 6)}`)).toEqual({
      ok: true,
      prefix: key.slice(0, 12),
    });
  });

  it('looksLikeApiKey accepts the shape regardless of checksum, and nothing else', () => {
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey(flip(key, 20))).toBe(true);
    expect(looksLikeApiKey(key.slice(0, -1))).toBe(false);
    expect(looksLikeApiKey(`ghp_${key.slice(4)}`)).toBe(false);
    expect(looksLikeApiKey('')).toBe(false);
  });
});

describe('base62', () => {
  it('pads to the width of the byte count, for the smallest and the largest 32-byte value', () => {
    expect(base62Width(32)).toBe(43);
    expect(base62Width(4)).toBe(6);
    expect(encodeBase62Bytes(new Uint8Array(32))).toBe('0'.repeat(43));
    const max = encodeBase62Bytes(new Uint8Array(32).fill(0xff));
    expect(max).toHaveLength(43);
    expect(decodeBase62(max)).toBe((1n << 256n) - 1n);
    expect(encodeBase62Bytes(Uint8Array.of(1))).toBe('01');
  });

  it('encodes in 0-9A-Za-z digit order and refuses what does not fit', () => {
    expect(encodeBase62(61n, 2)).toBe('0z');
    expect(encodeBase62(62n, 2)).toBe('10');
    expect(encodeBase62(36n, 1)).toBe('a');
    expect(encodeBase62(10n, 1)).toBe('A');
    expect(encodeBase62(0xffffffffn, 6)).toBe('4gfFC3');
    expect(() => encodeBase62(62n ** 6n, 6)).toThrow(RangeError);
    expect(() => encodeBase62(-1n, 6)).toThrow(RangeError);
  });
});
