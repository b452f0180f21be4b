/**
 * Records the replay suite's histories: `npm run replay:record` (set `REPLAY_GENERATION` to `core`,
 * `depth` or `set-activity` to choose which scenarios; existing files are kept unless `REPLAY_OVERWRITE=1`).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '../../temporal/dev-server.mjs';
import { type FakeLlmServer, type HttpFixture, startFakeLlmServer, startHttpFixture } from '@trellis/test-support';
import { checkedDag, createHarness, type Harness } from '@trellis/test-support/worker';
import { randomUUID } from 'node:crypto';
import { DAG_WORKFLOW_TYPE, type DagWorkflowInput } from '@trellis/dag-interpreter';
import { replayScenarios } from './scenarios.js';

const execFileAsync = promisify(execFile);

const generation = process.env.REPLAY_GENERATION ?? 'depth';
const overwrite = process.env.REPLAY_OVERWRITE === '1';
const prefix = ({ core: 'v1', depth: 'v2', 'set-activity': 'v3' } as Record<string, string>)[generation];
if (!prefix) throw new Error(`unknown REPLAY_GENERATION ${generation}: use core, depth or set-activity`);

let harness: Harness;
let http: HttpFixture;
let llm: FakeLlmServer;
beforeAll(async () => {
  http = await startHttpFixture();
  http.always('GET /items', { body: { items: [1, 2, 3] } });
  http.always('GET /missing', { status: 404, body: { error: 'gone' } });
  llm = await startFakeLlmServer();
  harness = await createHarness({ env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: llm.openaiBaseUrl, GEMINI_API_KEY: 'test', GEMINI_BASE_URL: llm.geminiBaseUrl } });
});
afterAll(async () => {
  await harness?.close();
  await http?.close();
  await llm?.close();
});

describe(`record ${generation} histories`, () => {
  for (const scenario of replayScenarios.filter((candidate) => candidate.generation === generation)) {
    const file = (suffix = '') => new URL(`./histories/${prefix}-${scenario.name}${suffix}.json`, import.meta.url);
    const recorded = existsSync(file()) || existsSync(file('.1'));
    it.skipIf(recorded && !overwrite)(scenario.name, async () => {
      const context = { harness, http, llm };
      await scenario.setup?.(context);
      const dag = checkedDag(scenario.dag(context));
      const runId = randomUUID();
      const input: DagWorkflowInput = {
        runId,
        agentVersionId: await harness.createVersion(dag),
        dag,
        input: scenario.input ?? {},
        ...scenario.workflowInput,
      };
      const handle = await harness.client.workflow.start(DAG_WORKFLOW_TYPE, { workflowId: runId, taskQueue: harness.taskQueue, args: [input] });
      await scenario.drive?.(context, runId);
      const outcome = await handle.result().then(
        () => 'succeeded',
        () => 'failed',
      );
      expect(outcome).toBe(scenario.fails ? 'failed' : 'succeeded');

      // Every execution of a continue-as-new chain, oldest first.
      const chain: string[] = [];
      for (let execution: string | undefined = (await handle.describe()).runId; execution; ) {
        chain.unshift(execution);
        const history = await harness.client.workflow.getHandle(runId, execution).fetchHistory();
        execution = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      }
      const cli = await resolveTemporalCli();
      const show = async (workflowId: string, execution: string): Promise<{ events?: Record<string, unknown>[] }> => {
        // The CLI writes the canonical proto JSON that `Worker.runReplayHistory` reads.
        const { stdout } = await execFileAsync(
          cli.path,
          ['workflow', 'show', '--workflow-id', workflowId, '--run-id', execution, '--address', harness.temporalAddress, '--output', 'json'],
          { maxBuffer: 64 * 1024 * 1024 },
        );
        return JSON.parse(stdout) as { events?: Record<string, unknown>[] };
      };
      const children: { workflowId: string; runId: string }[] = [];
      for (const [index, execution] of chain.entries()) {
        const history = await show(runId, execution);
        await writeFile(file(chain.length > 1 ? `.${index + 1}` : ''), `${JSON.stringify(history, null, 1)}\n`);
        for (const event of history.events ?? []) {
          const started = event.childWorkflowExecutionStartedEventAttributes as { workflowExecution?: { workflowId: string; runId: string } } | undefined;
          if (started?.workflowExecution) children.push(started.workflowExecution);
        }
      }
      // Child workflows (loops, sub-flows) replay too: their first execution is enough.
      for (const [index, child] of children.entries()) {
        await writeFile(file(`.child-${index + 1}`), `${JSON.stringify(await show(child.workflowId, child.runId), null, 1)}\n`);
      }
    });
  }
});
