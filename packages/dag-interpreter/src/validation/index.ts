/** Static DAG validation. NOT workflow-safe as a whole: workflow code imports `parse-node-config.js` and `issues.js` only. */
export { DagValidationError, formatPath, type ValidationIssue } from './issues.js';
export { parseNodeConfig } from './parse-node-config.js';
export { validateDag, type DagValidationResult, type ValidateDagOptions } from './validate-dag.js';
