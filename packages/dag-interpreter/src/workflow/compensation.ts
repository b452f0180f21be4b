/**
 * Compensation (saga): when a run fails, the `compensate` actions of the nodes that succeeded run in
 * reverse completion order, each as an `executeNode` activity with its own retries. A compensation that
 * fails is recorded and the others still run: undoing as much as possible beats stopping halfway.
 */
import { isCancellation } from '@temporalio/workflow';
import { renderTemplates } from '../workflow-safe.js';
import { nodeExecutor } from './activities.js';
import { describeNodeError } from './failures.js';
import type { DagInterpreter } from './interpreter.js';

/**
 * Runs the compensations of `interpreter`'s succeeded nodes, newest first, recording each outcome on
 * the node's `compensation`.
 * @param run - the run (and its workspace), passed to the activities.
 */
export async function compensate(interpreter: DagInterpreter, run: { runId: string; workspaceId?: string }): Promise<void> {
  for (const nodeId of [...interpreter.completionOrder].reverse()) {
    const spec = interpreter.graph.nodes.get(nodeId)?.compensate;
    if (!spec) continue;
    const startedAt = new Date().toISOString();
    interpreter.update(nodeId, { compensation: { status: 'RUNNING', attempts: 0, startedAt } });
    try {
      const config = await renderTemplates(spec.config, interpreter.context);
      const result = await nodeExecutor(spec).executeNode({ ...run, nodeId, type: spec.type, config, phase: 'compensate' });
      interpreter.update(nodeId, {
        compensation: { status: 'SUCCEEDED', attempts: result.attempt, output: result.output, startedAt, finishedAt: new Date().toISOString() },
      });
    } catch (error) {
      if (isCancellation(error)) throw error;
      const info = describeNodeError(error);
      interpreter.update(nodeId, {
        compensation: { status: 'FAILED', attempts: info.attempts ?? 1, error: info, startedAt, finishedAt: new Date().toISOString() },
      });
    }
  }
}
