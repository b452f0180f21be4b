/**
 * The runs whose histories the replay suite keeps. Each scenario drives one run to its end on real
 * Temporal; `record-histories.record.ts` stores the history under `histories/`, and
 * `replay.test.ts` replays every stored history against the current workflow code.
 *
 * Histories are recorded once per interpreter generation and never re-recorded: a history recorded by an
 * older interpreter is exactly what a run in flight during an upgrade looks like.
 */
import { APPROVAL_DECISION_SIGNAL, type ApprovalDecision } from '@trellis/dag-interpreter';
import { eventually, type FakeLlmServer, type HttpFixture } from '@trellis/test-support';
import type { Harness } from '@trellis/test-support/worker';

/** What a scenario can use while its run goes. */
export interface ScenarioContext {
  harness: Harness;
  http: HttpFixture;
  llm: FakeLlmServer;
}

export interface ReplayScenario {
  /** File name stem under `histories/`, prefixed with the generation that recorded it. */
  name: string;
  /**
   * Features needed to record it: `core` (the first interpreter), `depth` (loops, agents, sagas...) or
   * `set-activity` (`set` nodes in a local activity).
   */
  generation: 'core' | 'depth' | 'set-activity';
  dag(context: ScenarioContext): unknown;
  input?: unknown;
  /** Extra fields of the workflow input (`historyEventLimit`, `reuse`). */
  workflowInput?: Record<string, unknown>;
  /** Runs before the DAG is built: publish the agents it references, queue LLM replies. */
  setup?(context: ScenarioContext): Promise<void>;
  /** Extra steps while the run is in flight (decide an approval...). */
  drive?(context: ScenarioContext, runId: string): Promise<void>;
  /** Whether the run is expected to fail. */
  fails?: boolean;
}

/** Decides the run's pending approval as the API does: conditional update, then the signal. */
export async function decidePendingApproval(harness: Harness, runId: string, approved: boolean): Promise<void> {
  const approval = await eventually(() => harness.db.prisma.approval.findFirst({ where: { runId, status: 'PENDING' } }));
  const decidedAt = new Date();
  await harness.db.prisma.approval.update({
    where: { id: approval.id },
    data: { status: approved ? 'APPROVED' : 'REJECTED', comment: 'recorded', decidedAt },
  });
  const decision: ApprovalDecision = {
    approvalId: approval.id,
    nodeId: approval.nodeId,
    approved,
    comment: 'recorded',
    decidedAt: decidedAt.toISOString(),
  };
  await harness.client.workflow.getHandle(runId).signal(APPROVAL_DECISION_SIGNAL, decision);
}

export const coreScenarios: ReplayScenario[] = [
  {
    name: 'set-http-branches',
    generation: 'core',
    dag: ({ http }) => ({
      inputSchema: { type: 'object', properties: { limit: { type: 'number' } } },
      nodes: [
        { id: 'prepare', type: 'set', config: { value: { limit: '{{ input.limit }}' } } },
        { id: 'fetch', type: 'http', config: { url: `${http.url}/items`, query: { limit: '{{ nodes.prepare.output.limit }}' } } },
        { id: 'many', type: 'set', config: { value: 'many' } },
        { id: 'few', type: 'set', config: { value: 'few' } },
        { id: 'report', type: 'http', config: { method: 'POST', url: `${http.url}/report`, body: '{{ nodes.fetch.output.body }}' } },
      ],
      edges: [
        { from: 'prepare', to: 'fetch' },
        { from: 'fetch', to: 'many', condition: '$count(nodes.fetch.output.body.items) > 1' },
        { from: 'fetch', to: 'few', condition: '$count(nodes.fetch.output.body.items) <= 1' },
        { from: 'many', to: 'report' },
        { from: 'few', to: 'report' },
      ],
    }),
    input: { limit: 2 },
  },
  {
    name: 'llm-openai',
    generation: 'core',
    dag: () => ({
      nodes: [
        { id: 'topic', type: 'set', config: { value: 'durable workflows' } },
        { id: 'write', type: 'llm', config: { provider: 'openai', model: 'gpt-test', prompt: 'Write about {{ nodes.topic.output }}' } },
      ],
      edges: [{ from: 'topic', to: 'write' }],
    }),
  },
  {
    name: 'approval-approved',
    generation: 'core',
    dag: () => ({
      nodes: [
        { id: 'gate', type: 'approval', config: { message: 'Ship it?', timeout: '1h' } },
        { id: 'ship', type: 'set', config: { value: '{{ nodes.gate.output.approved }}' } },
      ],
      edges: [{ from: 'gate', to: 'ship', condition: 'nodes.gate.output.approved' }],
    }),
    drive: ({ harness }, runId) => decidePendingApproval(harness, runId, true),
  },
  {
    name: 'approval-timeout',
    generation: 'core',
    dag: () => ({
      nodes: [
        { id: 'gate', type: 'approval', config: { message: 'Anyone?', timeout: '1s', onTimeout: 'reject' } },
        { id: 'after', type: 'set', config: { value: '{{ nodes.gate.output }}' } },
      ],
      edges: [{ from: 'gate', to: 'after' }],
    }),
  },
  {
    name: 'delay-parallel',
    generation: 'core',
    dag: () => ({
      nodes: [
        { id: 'a', type: 'delay', config: { duration: '200ms' } },
        { id: 'b', type: 'delay', config: { duration: '100ms' } },
        { id: 'join', type: 'set', config: { value: ['{{ nodes.a.output.waitedMs }}', '{{ nodes.b.output.waitedMs }}'] } },
      ],
      edges: [
        { from: 'a', to: 'join' },
        { from: 'b', to: 'join' },
      ],
    }),
  },
  {
    name: 'http-failure',
    generation: 'core',
    dag: ({ http }) => ({
      nodes: [
        { id: 'start', type: 'set', config: { value: 1 } },
        { id: 'missing', type: 'http', config: { url: `${http.url}/missing` }, retry: { maximumAttempts: 2, initialInterval: '100ms' } },
        { id: 'never', type: 'set', config: { value: 2 } },
      ],
      edges: [
        { from: 'start', to: 'missing' },
        { from: 'missing', to: 'never' },
      ],
    }),
    fails: true,
  },
  {
    // Recorded at time T with a condition true only before T + 10 minutes: replayed later, the branch
    // would change if JSONata's $millis() read the wall clock instead of workflow time.
    name: 'now-is-workflow-time',
    generation: 'core',
    dag: ({ http }) => ({
      nodes: [
        { id: 'stamp', type: 'set', config: { value: { at: '{{ $now() }}', ms: '{{ $millis() }}' } } },
        { id: 'fresh', type: 'http', config: { url: `${http.url}/fresh` } },
        { id: 'stale', type: 'delay', config: { duration: '10ms' } },
      ],
      edges: [
        { from: 'stamp', to: 'fresh', condition: `$millis() < ${Date.now() + 10 * 60_000}` },
        { from: 'stamp', to: 'stale', condition: `$millis() >= ${Date.now() + 10 * 60_000}` },
      ],
    }),
  },
];

/** Ids of agents published by `setup` steps, for the DAGs that reference them. */
const published: Record<string, string> = {};

async function publish(harness: Harness, key: string, dag: unknown): Promise<void> {
  const versionId = await harness.createVersion(dag);
  published[key] = (await harness.db.prisma.agentVersion.findUniqueOrThrow({ where: { id: versionId } })).agentId;
}

export const depthScenarios: ReplayScenario[] = [
  {
    name: 'for-each-inline',
    generation: 'depth',
    dag: ({ http }) => ({
      nodes: [
        {
          id: 'loop',
          type: 'forEach',
          config: {
            items: '[1, 2, 3, 4, 5]',
            concurrency: 2,
            nodes: [
              { id: 'fetch', type: 'http', config: { url: `${http.url}/items`, query: { n: '{{ input.item }}' } } },
              { id: 'pick', type: 'set', config: { value: '{{ $count(nodes.fetch.output.body.items) * input.item }}' } },
            ],
            edges: [{ from: 'fetch', to: 'pick' }],
            output: 'nodes.pick.output',
          },
        },
        { id: 'total', type: 'set', config: { value: '{{ $sum(nodes.loop.output) }}' } },
      ],
      edges: [{ from: 'loop', to: 'total' }],
    }),
  },
  {
    name: 'subflow',
    generation: 'depth',
    setup: ({ harness }) =>
      publish(harness, 'greeter', {
        inputSchema: { type: 'object', required: ['name'] },
        nodes: [{ id: 'greet', type: 'set', config: { value: 'hello {{ input.name }}' } }],
        edges: [],
        output: 'nodes.greet.output',
      }),
    dag: () => ({
      nodes: [{ id: 'call', type: 'subflow', config: { agent: { id: published.greeter }, input: { name: 'ada' } } }],
      edges: [],
    }),
  },
  {
    name: 'agent-tools',
    generation: 'depth',
    setup: async ({ llm }) => {
      llm.enqueue('openai', { toolCalls: [{ name: 'items', arguments: { limit: 2 } }] });
      llm.enqueue('openai', { text: '{"count": 3}' });
    },
    dag: ({ http }) => ({
      nodes: [
        {
          id: 'bot',
          type: 'agent',
          config: {
            provider: 'openai',
            model: 'gpt-test',
            prompt: 'count the items',
            maxTurns: 3,
            outputSchema: { type: 'object', required: ['count'] },
            tools: [
              {
                name: 'items',
                description: 'lists items',
                parameters: { type: 'object', properties: { limit: { type: 'number' } } },
                http: { url: `${http.url}/items`, query: { limit: '{{ args.limit }}' } },
              },
            ],
          },
        },
      ],
      edges: [],
    }),
  },
  {
    name: 'code-and-error-routes',
    generation: 'depth',
    dag: ({ http }) => ({
      nodes: [
        { id: 'compute', type: 'code', config: { source: 'return input.values.map((v) => v * 2);' } },
        { id: 'missing', type: 'http', config: { url: `${http.url}/missing` }, retry: { maximumAttempts: 1 }, onError: 'route' },
        { id: 'fallback', type: 'set', config: { value: '{{ nodes.missing.error.type }}' } },
        { id: 'optional', type: 'http', config: { url: `${http.url}/missing` }, retry: { maximumAttempts: 1 }, onError: 'continue' },
        { id: 'after', type: 'set', config: { value: '{{ nodes.optional.status }}' } },
      ],
      edges: [
        { from: 'compute', to: 'missing' },
        { from: 'missing', to: 'fallback', on: 'error' },
        { from: 'fallback', to: 'optional' },
        { from: 'optional', to: 'after' },
      ],
    }),
    input: { values: [1, 2, 3] },
  },
  {
    name: 'compensation',
    generation: 'depth',
    dag: ({ http }) => ({
      nodes: [
        { id: 'reserve', type: 'http', config: { url: `${http.url}/items` }, compensate: { type: 'http', config: { method: 'DELETE', url: `${http.url}/items` } } },
        { id: 'note', type: 'set', config: { value: 'reserved' } },
        { id: 'charge', type: 'http', config: { url: `${http.url}/missing` }, retry: { maximumAttempts: 1 } },
      ],
      edges: [
        { from: 'reserve', to: 'note' },
        { from: 'note', to: 'charge' },
      ],
    }),
    fails: true,
  },
  {
    name: 'continue-as-new',
    generation: 'depth',
    dag: ({ http }) => ({
      nodes: Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, type: 'http', config: { url: `${http.url}/items`, query: { step: i } } })),
      edges: Array.from({ length: 5 }, (_, i) => ({ from: `s${i}`, to: `s${i + 1}` })),
    }),
    workflowInput: { historyEventLimit: 30 },
  },
  {
    name: 'retry-reuse',
    generation: 'depth',
    dag: ({ http }) => ({
      nodes: [
        { id: 'first', type: 'http', config: { url: `${http.url}/items` } },
        { id: 'second', type: 'set', config: { value: '{{ nodes.first.output.status }}' } },
      ],
      edges: [{ from: 'first', to: 'second' }],
    }),
    workflowInput: { trigger: 'RETRY', reuse: { first: { output: { status: 200, headers: {}, body: { items: [] } }, attempts: 1 } } },
  },
  {
    name: 'agent-tool-approval',
    generation: 'depth',
    setup: async ({ llm }) => {
      llm.enqueue('openai', { toolCalls: [{ name: 'items', arguments: {} }] });
      llm.enqueue('openai', { text: 'done' });
    },
    dag: ({ http }) => ({
      nodes: [
        {
          id: 'bot',
          type: 'agent',
          config: {
            provider: 'openai',
            model: 'gpt-test',
            prompt: 'go',
            maxTurns: 3,
            tools: [{ name: 'items', description: 'lists items', requireApproval: true, http: { url: `${http.url}/items` } }],
          },
        },
      ],
      edges: [],
    }),
    drive: ({ harness }, runId) => decidePendingApproval(harness, runId, true),
  },
];

/** Runs since `set` nodes moved into the `evaluateSet` local activity (patch `trellis-set-in-local-activity`). */
export const setActivityScenarios: ReplayScenario[] = [
  {
    name: 'set-local-activity',
    generation: 'set-activity',
    dag: ({ http }) => ({
      nodes: [
        { id: 'prepare', type: 'set', config: { value: { limit: '{{ input.limit }}', at: '{{ $now() }}' } } },
        { id: 'fetch', type: 'http', config: { url: `${http.url}/items`, query: { limit: '{{ nodes.prepare.output.limit }}' } } },
        {
          id: 'loop',
          type: 'forEach',
          config: {
            items: 'nodes.fetch.output.body.items',
            nodes: [{ id: 'double', type: 'set', config: { value: '{{ input.item * 2 }}' } }],
            output: 'nodes.double.output',
          },
        },
        { id: 'broken', type: 'set', onError: 'continue', config: { value: "{{ $number('x') }}" } },
        { id: 'total', type: 'set', config: { value: '{{ $sum(nodes.loop.output) }}' } },
      ],
      edges: [
        { from: 'prepare', to: 'fetch' },
        { from: 'fetch', to: 'loop' },
        { from: 'loop', to: 'broken' },
        { from: 'broken', to: 'total' },
      ],
    }),
    input: { limit: 3 },
  },
];

/** Every scenario, in recording order. */
export const replayScenarios: ReplayScenario[] = [...coreScenarios, ...depthScenarios, ...setActivityScenarios];
