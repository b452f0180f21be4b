import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

/** Publishes `dag` as a new agent's live version and returns the agent's id. */
async function publish(dag: unknown): Promise<string> {
  const versionId = await harness.createVersion(dag);
  const version = await harness.db.prisma.agentVersion.findUniqueOrThrow({ where: { id: versionId } });
  return version.agentId;
}

const greeter = {
  inputSchema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
  nodes: [{ id: 'greet', type: 'set', config: { value: 'hello {{ input.name }}' } }],
  edges: [],
  output: 'nodes.greet.output',
};

describe('subflow', () => {
  it("runs another agent's version as a child run linked to its parent, and outputs the child's output", async () => {
    const child = await publish(greeter);
    const { runId, output, failure } = await harness.run({
      nodes: [
        { id: 'who', type: 'set', config: { value: 'ada' } },
        { id: 'call', type: 'subflow', config: { agent: { id: child, version: 1 }, input: { name: '{{ nodes.who.output }}' } } },
      ],
      edges: [{ from: 'who', to: 'call' }],
    });
    expect(failure).toBeUndefined();
    expect(output).toEqual({ call: 'hello ada' });

    const rows = await nodeRows(harness, runId);
    expect(rows.call.childRunId).toBeTruthy();
    const childRun = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: rows.call.childRunId! } });
    expect(childRun).toMatchObject({ parentRunId: runId, trigger: 'SUBFLOW', agentId: child, status: 'SUCCEEDED', output: 'hello ada' });
    expect(childRun.input).toEqual({ name: 'ada' });
  });

  it('fails the node with the input problems when the input does not match the child’s inputSchema', async () => {
    const child = await publish(greeter);
    const { runId, failure } = await harness.run({
      nodes: [{ id: 'call', type: 'subflow', config: { agent: { id: child }, input: { name: 42 } } }],
      edges: [],
    });
    expect(failure?.cause?.message).toMatch(/refused the input: input\.name: must be string/);
    const rows = await nodeRows(harness, runId);
    expect(rows.call.error).toMatchObject({ type: 'SubflowInputInvalid' });
    expect(await harness.db.prisma.run.count({ where: { parentRunId: runId } })).toBe(0);
  });

  it('fails clearly for an unknown agent', async () => {
    const { failure } = await harness.run({
      nodes: [{ id: 'call', type: 'subflow', config: { agent: { id: '00000000-0000-4000-8000-000000000000' } } }],
      edges: [],
    });
    expect(failure?.cause?.message).toMatch(/00000000-0000-4000-8000-000000000000/);
  });

  it('cancelling the parent cancels the child', async () => {
    const child = await publish({
      nodes: [{ id: 'wait', type: 'approval', config: { message: 'never decided' } }],
      edges: [],
    });
    const { runId, result } = await harness.start({
      nodes: [{ id: 'call', type: 'subflow', config: { agent: { id: child } } }],
      edges: [],
    });
    const childRun = await eventually(() => harness.db.prisma.run.findFirst({ where: { parentRunId: runId, status: 'WAITING' } }));
    await harness.client.workflow.getHandle(runId).cancel();
    await expect(result).rejects.toThrow();
    await eventually(async () => {
      const [parent, sub] = await Promise.all([
        harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } }),
        harness.db.prisma.run.findUniqueOrThrow({ where: { id: childRun.id } }),
      ]);
      return parent.status === 'CANCELLED' && sub.status === 'CANCELLED';
    });
  });
});
