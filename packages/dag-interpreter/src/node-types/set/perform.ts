/** Performs `set` nodes. Workflow code. */
import { patched } from '@temporalio/workflow';
import { setEvaluator } from '../../workflow/activities.js';
import { WORKFLOW_PATCHES } from '../../patches.js';
import type { NodeTypePerformer } from '../../workflow/type-performer.js';
import { renderSetValue } from './render-value.js';

/**
 * Renders `value` in the `evaluateSet` local activity, outside the sandbox (see `activity.ts`); runs started
 * before that patch render it in the workflow, and their replays must keep doing so.
 */
export const performSet: NodeTypePerformer = async (_env, node, scope) => {
  const path = `${scope.path}.config`;
  const output = patched(WORKFLOW_PATCHES.setInLocalActivity)
    ? (await setEvaluator.evaluateSet({ path, config: node.config, context: scope.context })).output
    : await renderSetValue(node.config, scope.context, path);
  return { output, attempts: 1 };
};
