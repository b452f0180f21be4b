/**
 * Encryption of Temporal payloads at rest in workflow history: each payload (its whole protobuf encoding,
 * metadata included) is sealed with AES-256-GCM under a key derived from `TRELLIS_SECRET_KEY`, with the key's
 * id in the metadata so payloads written before a rotation still open with a `TRELLIS_PREVIOUS_SECRET_KEYS`
 * key. Payloads that are not encrypted (histories recorded before, or with encryption off) pass through.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { decodePayloadMessage, encodePayloadMessage } from '../claim-check/payload-message.js';
import { derivedSealingKey, type SealingKey } from '../secrets/sealed-box.js';

/** The `encoding` of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was sealed under. */
export const ENCRYPTION_KEY_ID = 'encryption-key-id';

/** HKDF `info` of the payload key, apart from every other use of `TRELLIS_SECRET_KEY`. */
const PAYLOAD_KEY_INFO = 'trellis/payloads/v1';
/** GCM nonce length recommended by NIST SP 800-38D (bytes). */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The payload keys: `current` seals, every one of `all` opens (current first). */
export interface PayloadKeys {
  current: SealingKey;
  all: SealingKey[];
}

/** Thrown for a configuration that cannot encrypt (encryption on, no key). */
export class PayloadEncryptionConfigError extends Error {
  override readonly name = 'PayloadEncryptionConfigError';
}

/**
 * The payload keys of `env`, or null when `TRELLIS_ENCRYPT_PAYLOADS=false`.
 *
 * @throws PayloadEncryptionConfigError when encryption is on (the default) but `TRELLIS_SECRET_KEY` is unset or
 *   shorter than 32 characters, or `TRELLIS_ENCRYPT_PAYLOADS` is neither `true` nor `false`
 */
export function readPayloadKeys(env: Record<string, string | undefined>): PayloadKeys | null {
  const setting = (env.TRELLIS_ENCRYPT_PAYLOADS ?? 'true').trim().toLowerCase();
  if (setting === 'false') return null;
  if (setting !== 'true') throw new PayloadEncryptionConfigError(`TRELLIS_ENCRYPT_PAYLOADS must be "true" or "false", got "${env.TRELLIS_ENCRYPT_PAYLOADS}"`);
  const current = env.TRELLIS_SECRET_KEY?.trim();
  if (!current || current.length < 32) {
    throw new PayloadEncryptionConfigError(
      'Temporal payloads are encrypted by default, with a key derived from TRELLIS_SECRET_KEY (at least 32 characters; try: openssl rand -hex 32); set it, or TRELLIS_ENCRYPT_PAYLOADS=false',
    );
  }
  const previous = (env.TRELLIS_PREVIOUS_SECRET_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  const all = [current, ...previous].map((secret) => derivedSealingKey(secret, PAYLOAD_KEY_INFO));
  return { current: all[0], all };
}

/**
 * The encryption codec. `encode` seals every payload not already sealed: `data` is IV (12 bytes), ciphertext and
 * GCM tag (16 bytes) of the payload's protobuf encoding; `metadata` is `encoding: binary/encrypted` and the key
 * id. `decode` opens sealed payloads with the key their id names and passes the others through.
 * `decode` rejects with an Error naming the key id when no configured key has it, or when a payload was
 * tampered with.
 */
export function createEncryptionCodec(keys: PayloadKeys): PayloadCodec {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const byId = new Map(keys.all.map((key) => [key.id, key]));
  const currentId = encoder.encode(keys.current.id);
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        if (isEncrypted(payload)) return payload;
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv);
        const sealed = Buffer.concat([iv, cipher.update(encodePayloadMessage(payload)), cipher.final(), cipher.getAuthTag()]);
        return { metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [ENCRYPTION_KEY_ID]: currentId }, data: sealed };
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        if (!isEncrypted(payload)) return payload;
        const id = decoder.decode(payload.metadata?.[ENCRYPTION_KEY_ID] ?? new Uint8Array());
        const key = byId.get(id);
        if (!key) throw new Error(`A payload is encrypted under key ${id || '(none)'}, which is neither TRELLIS_SECRET_KEY's nor one of TRELLIS_PREVIOUS_SECRET_KEYS'`);
        const data = Buffer.from(payload.data ?? new Uint8Array());
        if (data.length < IV_BYTES + TAG_BYTES) throw new Error(`An encrypted payload (key ${id}) is truncated`);
        const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, IV_BYTES));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        try {
          return decodePayloadMessage(Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]));
        } catch (error) {
          throw new Error(`An encrypted payload (key ${id}) does not open: it was altered, or sealed by another key with the same id`, { cause: error });
        }
      });
    },
  };
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && new TextDecoder().decode(encoding) === ENCRYPTED_ENCODING;
}
