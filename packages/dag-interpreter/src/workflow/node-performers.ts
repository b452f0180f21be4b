/**
 * What each node type does. Workflow primitives (`delay`, `approval`) run in the workflow; `set` nodes in
 * a local activity (in the workflow itself for runs started before that patch); `forEach` and `subflow`
 * start child workflows; `agent` loops over activities; every other type is a connector executed by the
 * `executeNode` activity with the node's retry policy and timeout.
 */
import { ApplicationFailure, patched, sleep } from '@temporalio/workflow';
import type { NodeSpec } from '../dag-schema.js';
import {
  parseDuration,
  parseNodeConfig,
  renderableConfig,
  renderSetValue,
  renderTemplates,
  workflowNodeConfigSchemas,
} from '../workflow-safe.js';
import { nodeExecutor, setEvaluator } from './activities.js';
import { runAgentNode } from './agent-loop.js';
import type { ApprovalConfig } from './approvals.js';
import { runForEachNode } from './for-each-node.js';
import type { NodeOutcome, NodePerformer, NodeScope } from './interpreter.js';
import type { RunEnvironment } from './run-environment.js';
import { runSubflowNode } from './subflow.js';

/** Connector types that receive the node's expression context (`{ input, nodes }`) besides their config. */
const CONTEXT_READING_CONNECTORS: ReadonlySet<string> = new Set(['code']);

/**
 * Patch id of evaluating `set` nodes in the `evaluateSet` local activity. Runs started before it rendered
 * them in the workflow, and their replays must keep doing so (no marker, no local activity).
 */
export const SET_IN_LOCAL_ACTIVITY_PATCH = 'trellis-set-in-local-activity';

/** The performer of every node type, for nodes of the run (or loop item) described by `env`. */
export function createPerformer(env: RunEnvironment): NodePerformer {
  return (node, scope) => perform(env, node, scope);
}

async function perform(env: RunEnvironment, node: NodeSpec, scope: NodeScope): Promise<NodeOutcome> {
  const path = `${scope.path}.config`;
  if (node.type === 'set') {
    const output = patched(SET_IN_LOCAL_ACTIVITY_PATCH)
      ? (await setEvaluator.evaluateSet({ path, config: node.config, context: scope.context })).output
      : await renderSetValue(node.config, scope.context, path);
    return { output, attempts: 1 };
  }
  const { renderable, verbatim } = renderableConfig(node.type, node.config);
  const rendered = { ...((await renderTemplates(renderable, scope.context)) as Record<string, unknown>), ...verbatim };
  switch (node.type) {
    case 'delay': {
      const config = parseNodeConfig(workflowNodeConfigSchemas.delay, rendered, path);
      await sleep(parseDuration(config.duration));
      return { output: { waitedMs: parseDuration(config.duration) }, attempts: 1 };
    }
    case 'approval': {
      const config = parseNodeConfig(workflowNodeConfigSchemas.approval, rendered, path) as ApprovalConfig;
      if (!env.approvals) throw notInLoopBody('approval');
      return { output: await env.approvals.await(node.id, config, scope), attempts: 1 };
    }
    case 'forEach': {
      const config = parseNodeConfig(workflowNodeConfigSchemas.forEach, rendered, path);
      return { output: await runForEachNode(env, node, config, scope.context), attempts: 1 };
    }
    case 'subflow': {
      const config = parseNodeConfig(workflowNodeConfigSchemas.subflow, rendered, path);
      const output = await runSubflowNode(env, config.agent, config.input ?? {}, (childRunId) => scope.update({ childRunId }));
      return { output, attempts: 1 };
    }
    case 'agent': {
      const config = parseNodeConfig(workflowNodeConfigSchemas.agent, rendered, path);
      return runAgentNode(env, node, config, scope);
    }
    default: {
      const result = await nodeExecutor(node).executeNode({
        runId: env.runId,
        nodeId: node.id,
        type: node.type,
        config: rendered,
        ...(CONTEXT_READING_CONNECTORS.has(node.type) ? { context: { input: scope.context.input, nodes: scope.context.nodes } } : {}),
      });
      return { output: result.output, attempts: result.attempt };
    }
  }
}

function notInLoopBody(type: string): ApplicationFailure {
  return ApplicationFailure.create({
    message: `${type} nodes cannot run inside a forEach body; run them in an agent started by a subflow node`,
    type: 'ConfigError',
    nonRetryable: true,
  });
}
