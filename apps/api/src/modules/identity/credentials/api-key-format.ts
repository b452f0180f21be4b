import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { base62Width, encodeBase62, encodeBase62Bytes, isBase62 } from './base62.js';
import { sha256Hex } from './sha256-hex.js';

/*
 * API keys follow GitHub's token format (github.blog, 2021-04-05, "Behind GitHub's new authentication token
 * formats"): a fixed, greppable prefix that names the issuer (so secret scanners and people recognise a
 * leaked key), a random part in base62, and a trailing CRC32 checksum in base62 so that a mistyped or
 * truncated key is rejected without a database lookup.
 *
 *   trl_<43 base62 digits: 32 random bytes><6 base62 digits: CRC32 of everything before them>
 *
 * The checksum covers the prefix as well as the random part (`trl_<random>`), so it vouches for every
 * character it follows. It is a typo check, not a signature: anyone can compute it, and a key is only
 * genuine when its SHA-256 is found among the stored hashes.
 */

/** Issuer prefix every API key starts with. */
export const API_KEY_PREFIX = 'trl_';

/** Random bytes in every key: 256 bits, out of reach of guessing, so an unsalted SHA-256 suffices for storage. */
export const API_KEY_RANDOM_BYTES = 32;

/** Base62 digits of the random part (43): always this many, left-padded with `0`. */
export const API_KEY_RANDOM_LENGTH = base62Width(API_KEY_RANDOM_BYTES);

/** Base62 digits of the checksum (6): enough for any CRC32 value, as 62^6 > 2^32. */
export const API_KEY_CHECKSUM_LENGTH = base62Width(4);

/** Length of every API key in characters (53). */
export const API_KEY_LENGTH = API_KEY_PREFIX.length + API_KEY_RANDOM_LENGTH + API_KEY_CHECKSUM_LENGTH;

/** Random-part characters shown in a key's display prefix. */
const DISPLAY_RANDOM_CHARS = 8;

/** A freshly generated API key. Only `prefix` and `hash` are stored; `key` is shown once to its creator. */
export interface GeneratedApiKey {
  /** The whole key, {@link API_KEY_LENGTH} characters; the secret. */
  key: string;
  /**
   * `trl_` and the first 8 characters of the random part (12 characters): what lists and audit entries
   * show to tell keys apart. It reveals about 48 of the 256 random bits, leaving the rest unguessable.
   */
  prefix: string;
  /** Lowercase hex SHA-256 of `key` (64 characters): what is stored and looked up; see {@link hashApiKey}. */
  hash: string;
}

/** Result of {@link parseApiKey}. */
export type ApiKeyParseResult =
  | { ok: true; /** The key's display prefix, as in {@link GeneratedApiKey.prefix}. */ prefix: string }
  | {
      ok: false;
      /**
       * `format`: not `trl_` followed by exactly {@link API_KEY_LENGTH} minus 4 base62 characters;
       * `checksum`: well formed, but the last 6 characters are not the CRC32 of the rest (a typo).
       */
      reason: 'format' | 'checksum';
    };

/**
 * Generates a new API key from 32 bytes of `crypto.randomBytes`.
 *
 * @returns the key, its display prefix and its SHA-256 (shapes in {@link GeneratedApiKey}).
 */
export function generateApiKey(): GeneratedApiKey {
  const body = API_KEY_PREFIX + encodeBase62Bytes(randomBytes(API_KEY_RANDOM_BYTES));
  const key = body + checksumOf(body);
  return { key, prefix: displayPrefix(key), hash: hashApiKey(key) };
}

/**
 * Lowercase hex SHA-256 of the whole key's UTF-8 bytes (64 characters); the value stored for a key and
 * looked up when one is presented. Does not validate `key`; call {@link parseApiKey} first.
 */
export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

/**
 * Checks that `value` is a well-formed API key: the `trl_` prefix, the fixed length, the base62 alphabet and
 * the CRC32 checksum. Pure and offline: it catches typos and truncation before any database lookup, and says
 * nothing about whether the key exists or is still valid. Never throws.
 */
export function parseApiKey(value: string): ApiKeyParseResult {
  if (!looksLikeApiKey(value)) return { ok: false, reason: 'format' };
  const body = value.slice(0, -API_KEY_CHECKSUM_LENGTH);
  if (value.slice(-API_KEY_CHECKSUM_LENGTH) !== checksumOf(body)) return { ok: false, reason: 'checksum' };
  return { ok: true, prefix: displayPrefix(value) };
}

/**
 * Whether `value` has the shape of an API key (prefix, length, alphabet), checksum not considered. Meant to
 * route a bearer credential: an opaque session token (43 base64url characters) never has this shape, so
 * anything that does is treated as an API key, and a mistyped one is reported as such by {@link parseApiKey}.
 */
export function looksLikeApiKey(value: string): boolean {
  return (
    typeof value === 'string' &&
    value.length === API_KEY_LENGTH &&
    value.startsWith(API_KEY_PREFIX) &&
    isBase62(value.slice(API_KEY_PREFIX.length))
  );
}

function checksumOf(body: string): string {
  // zlib.crc32 is the IEEE 802.3 CRC-32 (as in gzip and PNG), an unsigned 32-bit integer.
  return encodeBase62(BigInt(crc32(body)), API_KEY_CHECKSUM_LENGTH);
}

function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + DISPLAY_RANDOM_CHARS);
}
