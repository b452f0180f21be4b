/**
 * The workflows module the worker bundles (`workflowsPath`). Only workflow functions are exported.
 */
export { dagWorkflow } from './dag-workflow.js';
export { forEachWorkflow } from './for-each-workflow.js';
