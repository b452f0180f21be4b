import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';

/**
 * Used instead of `TRELLIS_SECRET_KEY` when it is unset. It is public (it is in the source), so secrets
 * encrypted with it are only obfuscated; the API logs a warning at startup.
 */
export const DEVELOPMENT_SECRET_KEY = 'trellis-development-secret-key-public-do-not-use-in-production';

/** HKDF `info` that separates this key from other uses of `TRELLIS_SECRET_KEY` (link signatures). */
const KEY_INFO = 'trellis/secrets-at-rest/aes-256-gcm/v1';
const FORMAT_VERSION = 'v1';
/** GCM nonce length recommended by NIST SP 800-38D (bytes). */
const IV_BYTES = 12;
/** Full-length GCM authentication tag (bytes). */
const TAG_BYTES = 16;

/** Thrown by {@link SecretCipher.decrypt} when a value cannot be decrypted with the configured key. */
export class SecretDecryptionError extends Error {
  override readonly name = 'SecretDecryptionError';
}

/**
 * Encrypts small secrets for storage with AES-256-GCM. The key is derived with HKDF-SHA256 from
 * `TRELLIS_SECRET_KEY` (so the same variable can also key the approval links' HMAC without reusing key
 * material). Stored form: `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts; the key id is the first
 * 4 bytes of the key's SHA-256, in hex, so a value encrypted under another key is recognised as such).
 * `context` is bound as GCM additional data, so a value copied to another row does not decrypt.
 */
@Injectable()
export class SecretCipher {
  private readonly key: Buffer;
  private readonly keyId: string;

  constructor(@Inject(API_CONFIG) config: ApiConfig, @Inject(LOGGER) logger: Logger) {
    if (config.secretKey === undefined) {
      logger.warn(
        'TRELLIS_SECRET_KEY is not set: webhook secrets are encrypted at rest with a public development key. ' +
          'Set TRELLIS_SECRET_KEY (for example `openssl rand -hex 32`) in production, then rotate the webhook secrets.',
      );
    }
    this.key = Buffer.from(hkdfSync('sha256', config.secretKey ?? DEVELOPMENT_SECRET_KEY, '', KEY_INFO, 32));
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  /**
   * @param context what the value belongs to (such as `agent:<id>:webhook-secret`); needed again to decrypt
   * @returns the stored form, ASCII
   */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT_VERSION, this.keyId, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /**
   * @throws SecretDecryptionError when the value is malformed, was encrypted under another key, or fails
   *   authentication (tampered, or another `context`)
   */
  decrypt(stored: string, context: string): string {
    const parts = stored.split(':');
    if (parts.length !== 5 || parts[0] !== FORMAT_VERSION) throw new SecretDecryptionError('Not an encrypted secret');
    const [, keyId, iv, tag, ciphertext] = parts;
    if (keyId !== this.keyId) throw new SecretDecryptionError('Encrypted under another TRELLIS_SECRET_KEY');
    try {
      // A fixed tag length, so a truncated tag is refused rather than checked on fewer bytes.
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('The encrypted secret failed authentication');
    }
  }
}
