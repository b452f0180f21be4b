import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAG_WORKFLOW_TYPE, type DagWorkflowInput, type DagWorkflowResult } from '@trellis/dag-interpreter';
import { eventually, type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { checkedDag, createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
let http: HttpFixture;
beforeAll(async () => {
  http = await startHttpFixture();
  harness = await createHarness({ egressAllow: [http.url] });
});
afterAll(async () => {
  await harness?.close();
  await http?.close();
});

describe('continue-as-new', () => {
  it('carries a run across history boundaries: same output, every node recorded once, no call repeated', async () => {
    const steps = 12;
    for (let i = 0; i < steps; i++) http.always(`GET /step/${i}`, { body: { step: i } });
    const dag = checkedDag({
      nodes: [
        { id: 'start', type: 'set', config: { value: 0 } },
        ...Array.from({ length: steps }, (_, i) => ({ id: `s${i}`, type: 'http', config: { url: `${http.url}/step/${i}` } })),
        { id: 'sum', type: 'set', config: { value: `{{ ${Array.from({ length: steps }, (_, i) => `nodes.s${i}.output.body.step`).join(' + ')} }}` } },
      ],
      edges: [
        { from: 'start', to: 's0' },
        ...Array.from({ length: steps - 1 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}` })),
        { from: `s${steps - 1}`, to: 'sum' },
      ],
    });
    const runId = randomUUID();
    const input: DagWorkflowInput = { runId, agentVersionId: await harness.createVersion(dag), dag, input: {}, historyEventLimit: 40 };
    const handle = await harness.client.workflow.start(DAG_WORKFLOW_TYPE, { workflowId: runId, taskQueue: harness.taskQueue, args: [input] });
    const result = (await handle.result()) as DagWorkflowResult;

    expect(result.output).toEqual({ sum: (steps * (steps - 1)) / 2 });
    const latest = await handle.describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
    // Visibility is eventually consistent: wait until every execution of the chain is listed.
    await eventually(async () => {
      const executions = [];
      for await (const execution of harness.client.workflow.list({ query: `WorkflowId = '${runId}'` })) executions.push(execution);
      return executions.length >= 3;
    });

    for (let i = 0; i < steps; i++) expect(http.count(`GET /step/${i}`)).toBe(1);
    const rows = await nodeRows(harness, runId);
    expect(Object.keys(rows)).toHaveLength(steps + 2);
    for (const row of Object.values(rows)) {
      expect(row.status).toBe('SUCCEEDED');
      expect(row.attempts).toBe(1);
    }
    const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual(result.output);
  });
});
