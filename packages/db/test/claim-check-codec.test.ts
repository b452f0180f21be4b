// The claim-check PayloadCodec against a real Postgres: what it stores, what travels instead, and
// what comes back.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import {
  CLAIM_CHECK_ENCODING,
  createClaimCheckCodec,
  DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES,
  readClaimCheckThreshold,
} from '@trellis/db';
import { createTestDatabase, type TestDatabase } from '@trellis/test-support/database';

const PayloadMessage = proto.temporal.api.common.v1.Payload;
const THRESHOLD = 1024;

/** A JSON payload as the SDK's default converter makes it. */
function jsonPayload(value: unknown): Payload {
  return defaultPayloadConverter.toPayload(value);
}
/** A JSON payload holding a string of random hex text (incompressible, unique per call). */
function largePayload(approxBytes: number): Payload {
  return jsonPayload({ text: randomBytes(Math.ceil(approxBytes / 2)).toString('hex') });
}
function wireBytes(payload: Payload): Buffer {
  return Buffer.from(PayloadMessage.encode(payload).finish());
}
function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value == null ? undefined : Buffer.from(value).toString('utf8');
}

describe('createClaimCheckCodec', () => {
  let database: TestDatabase;
  let codec: PayloadCodec;

  beforeAll(async () => {
    database = await createTestDatabase();
    codec = createClaimCheckCodec({ prisma: database.prisma, thresholdBytes: THRESHOLD });
  });
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(async () => {
    await database.prisma.payload.deleteMany();
  });

  it('passes payloads at or under the threshold through untouched and stores nothing', async () => {
    const small = [jsonPayload({ a: 1 }), jsonPayload('x'.repeat(500)), defaultPayloadConverter.toPayload(undefined)];
    const atThreshold = jsonPayload('y'.repeat(THRESHOLD));
    const trimmed = 'y'.repeat(THRESHOLD - (wireBytes(atThreshold).length - THRESHOLD));
    const exact = jsonPayload(trimmed);
    expect(wireBytes(exact).length).toBe(THRESHOLD);
    const input = [...small, exact];
    const before = input.map(wireBytes);

    const encoded = await codec.encode(input);

    expect(encoded).toHaveLength(input.length);
    encoded.forEach((payload, index) => {
      expect(payload).toBe(input[index]);
      expect(wireBytes(payload).equals(before[index])).toBe(true);
    });
    expect(await codec.decode(encoded)).toEqual(encoded);
    expect(await database.prisma.payload.count()).toBe(0);
  });

  it('replaces a large payload by a reference under the threshold that decodes to the identical payload', async () => {
    const original = largePayload(50_000);
    const originalBytes = wireBytes(original);
    const id = createHash('sha256').update(originalBytes).digest('hex');

    const [reference] = await codec.encode([original]);

    expect(wireBytes(reference).length).toBeLessThan(THRESHOLD);
    expect(metadataText(reference, 'encoding')).toBe(CLAIM_CHECK_ENCODING);
    expect(metadataText(reference, 'trellis-original-encoding')).toBe('json/plain');
    expect(metadataText(reference, 'trellis-size-bytes')).toBe(String(originalBytes.length));
    expect(JSON.parse(Buffer.from(reference.data!).toString('utf8'))).toEqual({ id, sizeBytes: originalBytes.length });

    const row = await database.prisma.payload.findUniqueOrThrow({ where: { id } });
    expect(row.sizeBytes).toBe(originalBytes.length);
    expect(Buffer.from(row.data).equals(originalBytes)).toBe(true);

    const [decoded] = await codec.decode([reference]);
    expect(wireBytes(decoded).equals(originalBytes)).toBe(true);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(defaultPayloadConverter.fromPayload(original));
  });

  it('stores identical large payloads once, within a batch and across calls', async () => {
    const value = { text: randomBytes(4_000).toString('hex') };
    const [first, second] = await codec.encode([jsonPayload(value), jsonPayload(value)]);
    const [third] = await codec.encode([jsonPayload(value)]);
    const [other] = await codec.encode([largePayload(5_000)]);

    expect(wireBytes(second).equals(wireBytes(first))).toBe(true);
    expect(wireBytes(third).equals(wireBytes(first))).toBe(true);
    expect(wireBytes(other).equals(wireBytes(first))).toBe(false);
    expect(await database.prisma.payload.count()).toBe(2);
  });

  it('refreshes a stored row\'s created_at when the same payload is stored again, so pruning by age stays safe', async () => {
    const payload = largePayload(5_000);
    await codec.encode([payload]);
    const old = new Date('2020-01-01T00:00:00Z');
    await database.prisma.payload.updateMany({ data: { createdAt: old } });
    const before = Date.now();
    await codec.encode([payload]);
    const [row] = await database.prisma.payload.findMany();
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('stores the same payload once when encoded concurrently', async () => {
    const value = { text: randomBytes(4_000).toString('hex') };
    await Promise.all(Array.from({ length: 5 }, () => codec.encode([jsonPayload(value)])));
    expect(await database.prisma.payload.count()).toBe(1);
  });

  it('keeps the order of a mixed batch on encode and decode', async () => {
    const input = [
      jsonPayload(1),
      largePayload(3_000),
      jsonPayload('two'),
      largePayload(6_000),
      jsonPayload({ three: 3 }),
      largePayload(2_000),
    ];
    const encoded = await codec.encode(input);

    const encodings = encoded.map((payload) => metadataText(payload, 'encoding'));
    expect(encodings).toEqual(['json/plain', CLAIM_CHECK_ENCODING, 'json/plain', CLAIM_CHECK_ENCODING, 'json/plain', CLAIM_CHECK_ENCODING]);
    const decoded = await codec.decode(encoded);
    expect(decoded.map(wireBytes)).toEqual(input.map(wireBytes));
    expect(await database.prisma.payload.count()).toBe(3);
  });

  it('leaves a reference as it is when it is encoded again', async () => {
    const tiny = createClaimCheckCodec({ prisma: database.prisma, thresholdBytes: 1 });
    const [reference] = await tiny.encode([largePayload(2_000)]);
    const [again] = await tiny.encode([reference]);
    expect(again).toBe(reference);
    expect(await database.prisma.payload.count()).toBe(1);
  });

  it('fails to decode a reference whose row is missing, naming the id', async () => {
    const [reference] = await codec.encode([largePayload(2_000)]);
    const { id } = JSON.parse(Buffer.from(reference.data!).toString('utf8')) as { id: string };
    await database.prisma.payload.deleteMany();

    await expect(codec.decode([jsonPayload(1), reference])).rejects.toThrow(id);
  });

  it('fails to decode a malformed reference', async () => {
    const forged: Payload = {
      metadata: { encoding: Buffer.from(CLAIM_CHECK_ENCODING) },
      data: Buffer.from('{"id":"nope"}'),
    };
    await expect(codec.decode([forged])).rejects.toThrow(/Malformed claim-check reference/);
  });

  it('rejects a threshold that is not a positive integer', () => {
    for (const thresholdBytes of [0, -1, 1.5, Number.NaN]) {
      expect(() => createClaimCheckCodec({ prisma: database.prisma, thresholdBytes })).toThrow(RangeError);
    }
  });

  it('round-trips 5 MB payloads with the default threshold, in batches larger than one INSERT', async () => {
    const defaults = createClaimCheckCodec({ prisma: database.prisma });
    const big = largePayload(5 * 1024 * 1024);
    const bigBytes = wireBytes(big);

    let started = performance.now();
    const [reference] = await defaults.encode([big]);
    const encodeMs = performance.now() - started;
    started = performance.now();
    const [decoded] = await defaults.decode([reference]);
    const decodeMs = performance.now() - started;
    started = performance.now();
    await defaults.encode([big]);
    const reencodeMs = performance.now() - started;
    console.info(
      `claim check, ${bigBytes.length} bytes: encode ${encodeMs.toFixed(0)} ms, decode ${decodeMs.toFixed(0)} ms, ` +
        `encode again (already stored) ${reencodeMs.toFixed(0)} ms`,
    );

    expect(wireBytes(reference).length).toBeLessThan(DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES);
    expect(wireBytes(decoded).equals(bigBytes)).toBe(true);

    // Four distinct 5 MB payloads exceed one 16 MiB INSERT: all must still be stored and come back.
    const many = Array.from({ length: 4 }, () => largePayload(5 * 1024 * 1024));
    const references = await defaults.encode(many);
    const back = await defaults.decode(references);
    expect(back.map((payload, index) => wireBytes(payload).equals(wireBytes(many[index])))).toEqual([true, true, true, true]);
    expect(await database.prisma.payload.count()).toBe(5);
  });
});

describe('readClaimCheckThreshold', () => {
  it('defaults to 128 KiB when unset or empty', () => {
    expect(DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES).toBe(131_072);
    expect(readClaimCheckThreshold({})).toBe(131_072);
    expect(readClaimCheckThreshold({ TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES: '' })).toBe(131_072);
  });

  it('reads a positive integer', () => {
    expect(readClaimCheckThreshold({ TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES: '4096' })).toBe(4096);
    expect(readClaimCheckThreshold({ TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES: ' 1 ' })).toBe(1);
  });

  it('rejects anything else, naming the variable', () => {
    for (const value of ['0', '-5', '1.5', '12kb', '1e6', 'abc', '99999999999999999999']) {
      expect(() => readClaimCheckThreshold({ TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES: value })).toThrow(
        /TRELLIS_CLAIM_CHECK_THRESHOLD_BYTES must be a positive integer/,
      );
    }
  });
});
