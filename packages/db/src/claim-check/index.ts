/** Claim check: large Temporal payloads live in Postgres, history carries a reference. */
export { createClaimCheckCodec, type ClaimCheckCodecOptions } from './claim-check-codec.js';
export {
  CLAIM_CHECK_ENCODING,
  CLAIM_CHECK_ORIGINAL_ENCODING_KEY,
  CLAIM_CHECK_SIZE_KEY,
  isClaimReference,
  parseClaimReference,
  type ClaimReference,
} from './claim-reference.js';
export { DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES, CLAIM_CHECK_THRESHOLD_ENV, readClaimCheckThreshold } from './claim-threshold.js';
