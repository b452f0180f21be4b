import { open, seal, SealedBoxError, type SealingKey, webhookSecretKeys } from '@trellis/db';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { LOGGER } from '../../../infrastructure/logging/logger.js';

/**
 * Used instead of `TRELLIS_SECRET_KEY` when it is unset. It is public (it is in the source), so secrets
 * encrypted with it are only obfuscated; the API logs a warning at startup.
 */
export const DEVELOPMENT_SECRET_KEY = 'trellis-development-secret-key-public-do-not-use-in-production';

/** Thrown by {@link SecretCipher.decrypt} when a value cannot be decrypted with the configured key. */
export class SecretDecryptionError extends Error {
  override readonly name = 'SecretDecryptionError';
}

/**
 * Encrypts small secrets for storage with AES-256-GCM (`seal` of `@trellis/db`, stored form
 * `v1:<key id>:<iv>:<tag>:<ciphertext>`). The key is derived with HKDF-SHA256 from `TRELLIS_SECRET_KEY`
 * (`webhookSecretKeys`, so the same variable can also key the approval links' HMAC without reusing key
 * material); values sealed under a `TRELLIS_PREVIOUS_SECRET_KEYS` key still open, until `secrets:rewrap`
 * re-seals them. `context` is bound as GCM additional data, so a value copied to another row does not decrypt.
 */
@Injectable()
export class SecretCipher {
  private readonly keys: SealingKey[];

  constructor(@Inject(API_CONFIG) config: ApiConfig, @Inject(LOGGER) logger: Logger) {
    if (config.secretKey === undefined) {
      logger.warn(
        'TRELLIS_SECRET_KEY is not set: webhook secrets are encrypted at rest with a public development key. ' +
          'Set TRELLIS_SECRET_KEY (for example `openssl rand -hex 32`) in production, then rotate the webhook secrets.',
      );
    }
    this.keys = webhookSecretKeys(config.secretKey ?? DEVELOPMENT_SECRET_KEY, config.previousSecretKeys);
  }

  /**
   * @param context what the value belongs to (such as `agent:<id>:webhook-secret`); needed again to decrypt
   * @returns the stored form, ASCII
   */
  encrypt(plaintext: string, context: string): string {
    return seal(this.keys[0], plaintext, context);
  }

  /**
   * @throws SecretDecryptionError when the value is malformed, was encrypted under another key, or fails
   *   authentication (tampered, or another `context`)
   */
  decrypt(stored: string, context: string): string {
    try {
      return open(this.keys, stored, context).toString('utf8');
    } catch (error) {
      if (!(error instanceof SealedBoxError)) throw error;
      throw new SecretDecryptionError(
        error.message.startsWith('Sealed under key') ? 'Encrypted under another TRELLIS_SECRET_KEY' : error.message === 'Not a sealed value' ? 'Not an encrypted secret' : 'The encrypted secret failed authentication',
      );
    }
  }
}
