import { randomBytes } from 'node:crypto';
import { sha256Hex } from './sha256-hex.js';

/** Random bytes in every opaque token: 256 bits, so tokens cannot be guessed and need no salt when hashed. */
export const OPAQUE_TOKEN_BYTES = 32;

/** A freshly generated opaque token. Only `hash` is stored; `token` goes to its holder (cookie, link, mail). */
export interface GeneratedOpaqueToken {
  /** 32 random bytes as unpadded base64url: 43 characters of `A-Z a-z 0-9 - _`. The secret. */
  token: string;
  /** Lowercase hex SHA-256 of `token` (64 characters); see {@link hashOpaqueToken}. */
  hash: string;
}

/**
 * Generates a random bearer token for sessions, account setup links and invitations: credentials that are
 * only ever looked up, never shown back, so they carry no prefix or checksum (unlike API keys).
 *
 * @returns the token and its SHA-256 (shapes in {@link GeneratedOpaqueToken}).
 */
export function generateOpaqueToken(): GeneratedOpaqueToken {
  const token = randomBytes(OPAQUE_TOKEN_BYTES).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

/**
 * Lowercase hex SHA-256 of the token string's UTF-8 bytes (64 characters): the value stored for a token and
 * looked up when one is presented. The string, not the decoded bytes, is hashed, so a presented value needs
 * no decoding (and a malformed one simply matches nothing).
 */
export function hashOpaqueToken(token: string): string {
  return sha256Hex(token);
}
