/**
 * The runs whose histories the replay suite keeps. Each scenario drives one run to its end on real
 * Temporal; `record-histories.record.ts` stores the history under `histories/`, and
 * `replay.test.ts` replays every stored history against the current workflow code.
 *
 * Histories are recorded once per interpreter generation and never re-recorded: a history recorded by an
 * older interpreter is exactly what a run in flight during an upgrade looks like.
 */
import { APPROVAL_DECISION_SIGNAL, type ApprovalDecision } from '@trellis/dag-interpreter';
import type { FakeLlmServer } from '../support/fake-llm-server.js';
import type { HttpFixture } from '../support/http-fixture.js';
import { eventually, type Harness } from '../support/worker.js';

/** What a scenario can use while its run goes. */
export interface ScenarioContext {
  harness: Harness;
  http: HttpFixture;
  llm: FakeLlmServer;
}

export interface ReplayScenario {
  /** File name stem under `histories/`, prefixed with the generation that recorded it. */
  name: string;
  /** Features needed to record it: `core` (issue 2's interpreter) or `depth` (loops, agents, sagas...). */
  generation: 'core' | 'depth';
  dag(context: ScenarioContext): unknown;
  input?: unknown;
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

/** Every scenario, in recording order. */
export const replayScenarios: ReplayScenario[] = [...coreScenarios];
