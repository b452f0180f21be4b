export { defineConnector, type Connector, type ConnectorContext } from './connector.js';
export {
  ConnectorError,
  ConnectorErrorType,
  MAX_ERROR_TEXT_CHARS,
  configError,
  truncateText,
  type ConnectorErrorOptions,
  type JsonValue,
} from './errors.js';
export { DEFAULT_REQUEST_TIMEOUT_MS, MAX_REDIRECTS, request, type HttpMethod, type HttpResponse, type RequestOptions, type ResponseType } from './request.js';
export { parseRetryAfter } from './retry-after.js';
export { httpConnector, httpConfigSchema, type HttpConfig, type HttpOutput } from './http.js';
export * from './llm/index.js';
export * from './code/index.js';
export { ConnectorRegistry, builtInConnectors, createConnectorRegistry, nodeTypeCatalogue } from './registry.js';
export { parseConnectorConfig } from './config-validation.js';
export { toApplicationFailure } from './failure.js';
export { createConnectorActivities, type ConnectorActivities, type ConnectorActivitiesDeps } from './activities.js';
export * from './agent/index.js';
export { classifyAddress, METADATA_ADDRESSES, METADATA_HOSTNAMES, type AddressClass } from './egress/address-policy.js';
export { decideEgress, EgressConfigError, readEgressPolicy, type EgressDecision, type EgressPolicy } from './egress/egress-policy.js';
export { checkedAddress, EgressBlockedError, guardedConnector, systemResolver, type ResolvedAddress, type Resolver } from './egress/guarded-connector.js';
export {
  createOutbound,
  DEFAULT_MAX_RESPONSE_BYTES,
  SecretHostNotAllowedError,
  type Outbound,
  type OutboundOptions,
  type OutboundSession,
  type SecretUse,
} from './egress/outbound.js';
export { redactorOf, type Redactor } from './secrets/redact.js';
export { referencedSecretNames, resolveNodeSecrets, type SecretBearing } from './secrets/node-secrets.js';
export type { SecretRequest, SecretSource } from './secrets/secret-source.js';
export { runInActivity, type ActivityIds, type ActivityRuntime } from './run-in-activity.js';
