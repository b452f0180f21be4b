/**
 * Everything the Temporal workflow bundle may import from this package. Its import graph holds only
 * `zod` and `jsonata`: no ajv, no Node builtins, no I/O.
 */
export * from './dag-schema.js';
export { WORKFLOW_PATCHES } from './patches.js';
export * from './activity-contract.js';
export { parseDuration } from './duration.js';
export * from './expressions.js';
export * from './node-types/index.js';
export { DagValidationError, formatPath, type ValidationIssue } from './validation/issues.js';
export { parseNodeConfig } from './validation/parse-node-config.js';
