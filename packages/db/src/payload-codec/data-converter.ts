/** The one data converter of Trellis's workers and Temporal clients: encryption, then claim check. */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createClaimCheckCodec } from '../claim-check/claim-check-codec.js';
import { createEncryptionCodec, type PayloadKeys } from './encryption-codec.js';

/** Path of the module exporting `failureConverter` (see `failure-converter.ts`), for workers, bundles and clients. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.js', import.meta.url));

/** Options of {@link createDataConverter}. */
export interface TrellisDataConverterOptions {
  /** Where claim-checked payloads live (the `payloads` table). */
  prisma: PrismaClient;
  /** Claim-check threshold (bytes of the encrypted payload); default 128 KiB. */
  claimCheckThresholdBytes?: number;
  /** The payload keys (`readPayloadKeys`); null: no encryption (`TRELLIS_ENCRYPT_PAYLOADS=false`). */
  payloadKeys: PayloadKeys | null;
}

/** What {@link createDataConverter} returns: a `DataConverter` with both fields set. */
export type TrellisDataConverter = Required<Pick<DataConverter, 'payloadCodecs' | 'failureConverterPath'>>;

/**
 * `{ payloadCodecs, failureConverterPath }` for `Worker.create`, `new Client` and `bundleWorkflowCode`: payloads
 * are encrypted first and claim-checked when the sealed form is large (Temporal applies codecs in order on
 * encode and in reverse on decode); failure messages and stacks travel as encoded attributes, so they are
 * encrypted too. Every process reading the same histories needs the same keys and database.
 *
 * @throws RangeError for a bad claim-check threshold
 */
export function createDataConverter(options: TrellisDataConverterOptions): TrellisDataConverter {
  const claimCheck = createClaimCheckCodec({ prisma: options.prisma, thresholdBytes: options.claimCheckThresholdBytes });
  return {
    payloadCodecs: options.payloadKeys === null ? [claimCheck] : [createEncryptionCodec(options.payloadKeys), claimCheck],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
