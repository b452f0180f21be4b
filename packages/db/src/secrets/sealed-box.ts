/**
 * AES-256-GCM sealing of small values, the one cipher of Trellis's secrets at rest (webhook secrets,
 * the vault's data keys and values). Stored form: `v1:<key id>:<iv>:<tag>:<ciphertext>`, base64url parts;
 * the key id names the key, so a value sealed under another key is recognised as such. `context` is
 * bound as GCM additional data: a value copied to another row does not open.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT_VERSION = 'v1';
/** GCM nonce length recommended by NIST SP 800-38D (bytes). */
const IV_BYTES = 12;
/** Full-length GCM authentication tag (bytes). */
const TAG_BYTES = 16;

/** A 256-bit key and its id (the first 4 bytes of its SHA-256, hex). */
export interface SealingKey {
  key: Buffer;
  id: string;
}

/** Thrown when a sealed value does not open: malformed, sealed under another key, or tampered with. */
export class SealedBoxError extends Error {
  override readonly name = 'SealedBoxError';
}

/** A sealing key from 32 bytes. @throws RangeError for another length */
export function sealingKeyOf(key: Buffer): SealingKey {
  if (key.length !== 32) throw new RangeError(`an AES-256 key is 32 bytes, got ${key.length}`);
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 8) };
}

/**
 * A sealing key derived from a secret (`TRELLIS_SECRET_KEY`) with HKDF-SHA256 (RFC 5869) under `info`,
 * so one variable can key several uses without reusing key material.
 */
export function derivedSealingKey(secret: string, info: string): SealingKey {
  return sealingKeyOf(Buffer.from(hkdfSync('sha256', secret, '', info, 32)));
}

/** Seals `plaintext` under `key`, bound to `context`; returns the stored form (ASCII). */
export function seal(key: SealingKey, plaintext: Buffer | string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return [FORMAT_VERSION, key.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
}

/** The key id a stored value was sealed under, or null when it is not a sealed value. */
export function sealedKeyId(stored: string): string | null {
  const parts = stored.split(':');
  return parts.length === 5 && parts[0] === FORMAT_VERSION ? parts[1] : null;
}

/**
 * Opens a stored value with the key among `keys` whose id it names.
 *
 * @throws SealedBoxError when it is malformed, no key has its id, or it fails authentication (tampered, or
 *   another `context`)
 */
export function open(keys: readonly SealingKey[], stored: string, context: string): Buffer {
  const parts = stored.split(':');
  if (parts.length !== 5 || parts[0] !== FORMAT_VERSION) throw new SealedBoxError('Not a sealed value');
  const [, keyId, iv, tag, ciphertext] = parts;
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new SealedBoxError(`Sealed under key ${keyId}, which is not configured`);
  try {
    // A fixed tag length, so a truncated tag is refused rather than checked on fewer bytes.
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  } catch {
    throw new SealedBoxError('The sealed value failed authentication');
  }
}
