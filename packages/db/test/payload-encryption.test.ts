/**
 * The payload encryption codec: what it writes hides the payload and names its key; what it reads back is
 * the payload as given; payloads sealed under a retired key open while that key is listed; unencrypted
 * payloads (older histories) pass through; a tampered or unknown-key payload is refused.
 */
import { describe, expect, it } from 'vitest';
import type { Payload } from '@temporalio/common';
import { createEncryptionCodec, ENCRYPTED_ENCODING, ENCRYPTION_KEY_ID, PayloadEncryptionConfigError, readPayloadKeys } from '../src/index.js';

const OLD_KEY = 'old-secret-key-0123456789abcdef0123456789';
const NEW_KEY = 'new-secret-key-0123456789abcdef0123456789';
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const json = (value: unknown): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });

describe('payload encryption codec', () => {
  it('seals every payload under the current key and opens it back as it was', async () => {
    const codec = createEncryptionCodec(readPayloadKeys({ TRELLIS_SECRET_KEY: NEW_KEY })!);
    const original = [json({ card: '4242 4242 4242 4242' }), json('second')];
    const sealed = await codec.encode(original);
    for (const payload of sealed) {
      expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata?.[ENCRYPTION_KEY_ID])).toMatch(/^[0-9a-f]{8}$/);
      expect(text(payload.data)).not.toContain('4242');
    }
    // A fresh IV each time: equal payloads do not look equal.
    expect(Buffer.from(sealed[0].data!).equals(Buffer.from((await codec.encode([original[0]]))[0].data!))).toBe(false);
    const opened = await codec.decode(sealed);
    expect(opened.map((payload) => text(payload.data))).toEqual(['{"card":"4242 4242 4242 4242"}', '"second"']);
    expect(text(opened[0].metadata?.encoding)).toBe('json/plain');
    // Sealing twice does not nest.
    expect(await codec.encode(sealed)).toEqual(sealed);
  });

  it('opens payloads of a retired key while TRELLIS_PREVIOUS_SECRET_KEYS lists it, and refuses them after', async () => {
    const sealedBefore = await createEncryptionCodec(readPayloadKeys({ TRELLIS_SECRET_KEY: OLD_KEY })!).encode([json('before rotation')]);
    const rotated = createEncryptionCodec(readPayloadKeys({ TRELLIS_SECRET_KEY: NEW_KEY, TRELLIS_PREVIOUS_SECRET_KEYS: OLD_KEY })!);
    expect(text((await rotated.decode(sealedBefore))[0].data)).toBe('"before rotation"');
    const withoutOld = createEncryptionCodec(readPayloadKeys({ TRELLIS_SECRET_KEY: NEW_KEY })!);
    await expect(withoutOld.decode(sealedBefore)).rejects.toThrow(/encrypted under key [0-9a-f]{8}, which is neither/);
  });

  it('passes unencrypted payloads through, and refuses a tampered one', async () => {
    const codec = createEncryptionCodec(readPayloadKeys({ TRELLIS_SECRET_KEY: NEW_KEY })!);
    const plain = json({ recorded: 'before encryption' });
    expect(await codec.decode([plain])).toEqual([plain]);
    const [sealed] = await codec.encode([json('x')]);
    const data = Buffer.from(sealed.data!);
    data[data.length - 20] ^= 0xff;
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(/does not open/);
  });

  it('is on by default and needs TRELLIS_SECRET_KEY; TRELLIS_ENCRYPT_PAYLOADS=false turns it off', () => {
    expect(() => readPayloadKeys({})).toThrow(PayloadEncryptionConfigError);
    expect(() => readPayloadKeys({ TRELLIS_SECRET_KEY: 'short' })).toThrow(/at least 32 characters/);
    expect(() => readPayloadKeys({ TRELLIS_SECRET_KEY: NEW_KEY, TRELLIS_ENCRYPT_PAYLOADS: 'yes' })).toThrow(/"true" or "false"/);
    expect(readPayloadKeys({ TRELLIS_ENCRYPT_PAYLOADS: 'false' })).toBeNull();
    // Derived apart from the vault's master key: the same variable, another key.
    const keys = readPayloadKeys({ TRELLIS_SECRET_KEY: NEW_KEY, TRELLIS_PREVIOUS_SECRET_KEYS: ` ${OLD_KEY} ,` })!;
    expect(keys.all.map((key) => key.id)).toHaveLength(2);
    expect(keys.current).toBe(keys.all[0]);
  });
});
