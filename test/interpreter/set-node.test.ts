/**
 * `set` nodes render in the `evaluateSet` local activity: heavy transforms do not run into the workflow
 * sandbox's per-task limit, errors read as before, and the evaluation is recorded once in history.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, nodeRows } from '@trellis/test-support/worker';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** The demo's audit node (examples/license-audit.json), which reads `nodes.fetch.output.body`. */
const auditNode = (JSON.parse(readFileSync(new URL('../../examples/license-audit.json', import.meta.url), 'utf8')) as {
  dag: { nodes: { id: string; config: unknown }[] };
}).dag.nodes.find((node) => node.id === 'audit')!;

/** A package-lock.json-shaped document of `count` packages, every seventh under MPL-2.0. */
function lockfile(count: number): Record<string, unknown> {
  const packages: Record<string, unknown> = { '': { name: 'root', version: '1.0.0' } };
  for (let index = 0; index < count; index++) {
    packages[`node_modules/package-${index}`] = {
      version: `1.${index}.0`,
      resolved: `https://registry.npmjs.org/package-${index}/-/package-${index}-1.${index}.0.tgz`,
      integrity: `sha512-${'x'.repeat(88)}`,
      license: index % 7 === 0 ? 'MPL-2.0' : 'MIT',
      dependencies: { [`package-${(index + 1) % count}`]: '^1.0.0' },
    };
  }
  return { name: 'root', lockfileVersion: 3, packages };
}

describe('set node', () => {
  it('runs a transform over a 300 KB document in one go, with no workflow task failing or timing out', async () => {
    const document = lockfile(1100);
    expect(JSON.stringify(document).length).toBeGreaterThan(300_000);
    const dag = {
      nodes: [
        { id: 'fetch', type: 'set', config: { value: { body: '{{ input.document }}' } } },
        { id: 'audit', type: 'set', config: auditNode.config },
      ],
      edges: [{ from: 'fetch', to: 'audit' }],
      output: 'nodes.audit.output',
    };
    const { runId, output, failure } = await harness.run(dag, { document, reviewLicenses: ['MPL'] });
    expect(failure).toBeUndefined();
    const mpl = Array.from({ length: 1100 }, (_, index) => index).filter((index) => index % 7 === 0);
    expect(output).toEqual({
      packages: 1100,
      byLicense: { 'MPL-2.0': mpl.length, MIT: 1100 - mpl.length },
      needsReview: mpl.map((index) => `package-${index}`),
    });

    const events = (await harness.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const types = events.map((event) => String(event.eventType));
    expect(types.filter((type) => /WORKFLOW_TASK_(FAILED|TIMED_OUT)/.test(type))).toEqual([]);
    // One local-activity marker per set node (plus the patch marker).
    const markers = events.flatMap((event) => (event.markerRecordedEventAttributes ? [event.markerRecordedEventAttributes.markerName] : []));
    expect(markers.filter((name) => name === 'core_local_activity')).toHaveLength(2);
  });

  it('fails the node, without retrying, with the expression error and the config path', async () => {
    const dag = {
      nodes: [
        { id: 'ok', type: 'set', config: { value: 1 } },
        { id: 'broken', type: 'set', config: { value: { n: "{{ $number('not a number') }}" } } },
      ],
      edges: [{ from: 'ok', to: 'broken' }],
    };
    const { runId, failure } = await harness.run(dag, {});
    expect(failure).toBeDefined();
    const rows = await nodeRows(harness, runId);
    expect(rows.ok.status).toBe('SUCCEEDED');
    expect(rows.broken.status).toBe('FAILED');
    expect(rows.broken.attempts).toBe(1);
    expect(rows.broken.error).toMatchObject({
      type: 'ExpressionEvaluationError',
      message: expect.stringContaining(`error evaluating "$number('not a number')": `),
      attempts: 1,
    });
  });

  it('cuts off a runaway expression at the evaluation time limit and the worker keeps serving', async () => {
    const dag = {
      nodes: [
        {
          id: 'spin',
          type: 'set',
          // Nested ranges: 10^4 × 10^4 steps, far beyond the 10 s limit.
          config: { value: '{{ $sum([1..10000].($sum([1..10000].($ * 2)))) }}' },
        },
      ],
    };
    const { runId, failure } = await harness.run(dag, {});
    expect(failure).toBeDefined();
    const rows = await nodeRows(harness, runId);
    expect(rows.spin.error).toMatchObject({ type: 'ExpressionEvaluationError', message: expect.stringContaining('timeout') });
    // An evaluation error is final: the local activity is not attempted again.
    expect(rows.spin.attempts).toBe(1);
    const { output } = await harness.run({ nodes: [{ id: 'after', type: 'set', config: { value: '{{ 1 + 1 }}' } }], output: 'nodes.after.output' }, {});
    expect(output).toBe(2);
  });
});
