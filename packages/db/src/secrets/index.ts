export { derivedSealingKey, open, seal, SealedBoxError, sealedKeyId, sealingKeyOf, type SealingKey } from './sealed-box.js';
export {
  needsRewrap,
  newDataKey,
  openSecret,
  readVaultMasterKeys,
  rewrapDataKey,
  sealSecret,
  unwrapDataKey,
  VaultConfigError,
  type VaultMasterKeys,
} from './vault-keys.js';
export { webhookSecretContext, webhookSecretKeys } from './webhook-secret-keys.js';
export { rewrapSecrets, type RewrapReport } from './rewrap.js';
