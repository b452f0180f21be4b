/**
 * Payloads as Temporal's remote codec protocol carries them (the proto3 JSON of `Payloads`): `{ payloads: [{
 * metadata: { key: <base64> }, data: <base64> }] }`.
 */
import type { Payload } from '@temporalio/common';
import { TrellisException } from '../../common/exceptions/trellis-exception.js';

/** One payload in the protocol's JSON form. */
export interface PayloadJson {
  metadata?: Record<string, string>;
  data?: string;
}

/**
 * Reads a request body.
 * @throws TrellisException `BAD_USER_INPUT` with the path of the first malformed part
 */
export function payloadsFromJson(body: unknown): Payload[] {
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw TrellisException.badUserInput('Invalid codec request', [{ path: 'payloads', message: 'must be an array' }]);
  return payloads.map((payload: unknown, index) => {
    const { metadata = {}, data = '' } = (payload ?? {}) as PayloadJson;
    if (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((value) => typeof value !== 'string') || typeof data !== 'string') {
      throw TrellisException.badUserInput('Invalid codec request', [{ path: `payloads[${index}]`, message: 'must be { metadata: { key: base64 }, data: base64 }' }]);
    }
    return {
      metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
      data: Buffer.from(data, 'base64'),
    };
  });
}

/** The response body for `payloads`. */
export function payloadsToJson(payloads: Payload[]): { payloads: PayloadJson[] } {
  return {
    payloads: payloads.map((payload) => ({
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
      data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}
