/** `@trellis/dag-interpreter` for Node code (API, worker). Workflow code imports `workflow-safe.js` instead. */
export * from './dag-schema.js';
export { WORKFLOW_PATCHES } from './patches.js';
export * from './activity-contract.js';
export { parseDuration } from './duration.js';
export * from './expressions.js';
export * from './node-types/index.js';
export * from './validation/index.js';
export { validateRunInput } from './input-validation.js';
export { checkJsonSchema, compileJsonSchema, InvalidJsonSchemaError } from './json-schema/schema-compiler.js';
export { planRetry, type RecordedNode, type RetryPlan } from './retry-plan.js';
export { DEFAULT_MAXIMUM_ATTEMPTS, resolvedRetryPolicy, retryDelayMs, type ResolvedRetryPolicy } from './retry-policy.js';
export { DEFAULT_HEARTBEAT_TIMEOUT_MS, heartbeatIntervalMs, MIN_HEARTBEAT_TIMEOUT_MS } from './heartbeat.js';
export { createSetActivities } from './node-types/set/activity.js';
export { dagJsonSchema, DAG_JSON_SCHEMA_ID, type JsonSchemaObject } from './dag-json-schema.js';
export { createNodeTypeCatalogue, NodeTypeCatalogue, type ConnectorNodeType, type NodeTypeEntry } from './node-types/catalogue.js';
export { WORKSPACE_SEARCH_ATTRIBUTE, WORKSPACE_SEARCH_ATTRIBUTE_KEY, workspaceSearchAttributes } from './workspace-search-attribute.js';
