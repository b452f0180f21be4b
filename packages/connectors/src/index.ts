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
export { request, type HttpMethod, type HttpResponse, type RequestOptions, type ResponseType } from './request.js';
export { parseRetryAfter } from './retry-after.js';
export { httpConnector, httpConfigSchema, type HttpConfig, type HttpOutput } from './http.js';
export * from './llm/index.js';
export * from './code/index.js';
export { ConnectorRegistry, builtInConnectors, createConnectorRegistry, nodeTypeCatalogue } from './registry.js';
export { parseConnectorConfig } from './config-validation.js';
export { toApplicationFailure } from './failure.js';
export { createConnectorActivities, type ConnectorActivities, type ConnectorActivitiesDeps } from './activities.js';
export * from './agent/index.js';
