export { createDataConverter, FAILURE_CONVERTER_PATH, type TrellisDataConverter, type TrellisDataConverterOptions } from './data-converter.js';
export {
  createEncryptionCodec,
  ENCRYPTED_ENCODING,
  ENCRYPTION_KEY_ID,
  PayloadEncryptionConfigError,
  readPayloadKeys,
  type PayloadKeys,
} from './encryption-codec.js';
