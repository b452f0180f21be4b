import { createHash } from 'node:crypto';

/**
 * Hex SHA-256 (FIPS 180-4) of a string's UTF-8 bytes: 64 lowercase hex characters.
 *
 * The one digest used to store bearer credentials (API keys, session, setup and invitation tokens). A plain
 * unsalted hash is enough there because every such credential carries 256 random bits: nothing can be
 * guessed or looked up in a table, unlike a password. It also lets the stored hash be the lookup key, so a
 * credential is found with one indexed equality query and no comparison against secret material in memory.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
