/**
 * The README's webhook signing example (the ```bash block after `<!-- webhook-example -->`), run as written
 * with bash, openssl and curl against the real API, worker, Temporal and Postgres. Only the variables the
 * example reads from the environment (`API`, `AGENT`, `SECRET`) are supplied.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import { type ApiTestContext, startTestApi } from './support/api-test-context.js';

const README = new URL('../../README.md', import.meta.url);
const MARKER = '<!-- webhook-example -->';
const CREATE = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`;
const ROTATE = `mutation ($agentId: ID!) { rotateWebhookSecret(agentId: $agentId) }`;

let harness: Harness;
let ctx: ApiTestContext;
beforeAll(async () => {
  harness = await createHarness();
  ctx = await startTestApi({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
});
afterAll(async () => {
  await ctx?.close();
  await harness?.close();
});

/** The bash block directly after the marker; fails the test when the README lost either. */
async function readmeExample(): Promise<string> {
  const readme = await readFile(README, 'utf8');
  const match = new RegExp(`${MARKER}\\s*\`\`\`bash\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no \`\`\`bash block directly after ${MARKER}`);
  return match[1];
}

it('the README curl + openssl example starts a run with its body as input (202 { runId })', async () => {
  const script = await readmeExample();
  // The body the example sends, as written in it: the run's input must be exactly this JSON.
  const bodyLine = /^BODY='(.*)'$/m.exec(script);
  expect(bodyLine, 'the example sets BODY=\'<json>\'').not.toBeNull();
  const body: unknown = JSON.parse(bodyLine![1]);

  const echo = { nodes: [{ id: 'echo', type: 'set', config: { value: '{{ input }}' } }], output: 'nodes.echo.output' };
  const { createAgent } = await ctx.graphqlOk(CREATE, { input: { name: `readme-hook-${randomUUID()}`, dag: echo } });
  const agentId = createAgent.id as string;
  const { rotateWebhookSecret: secret } = await ctx.graphqlOk(ROTATE, { agentId });

  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
    env: { PATH: process.env.PATH, API: ctx.api.url, AGENT: agentId, SECRET: secret },
    encoding: 'utf8',
  });

  // curl -i: status line, headers, blank line, body.
  const [head, responseBody] = stdout.split(/\r?\n\r?\n/, 2);
  expect(head).toMatch(/^HTTP\/1\.1 202\b/);
  const { runId } = JSON.parse(responseBody) as { runId: string };
  const run = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
  expect(run).toMatchObject({ agentId, trigger: 'WEBHOOK', input: body });
  const finished = await eventually(async () => {
    const current = await harness.db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    return current.status === 'SUCCEEDED' && current;
  });
  expect(finished.output).toEqual(body);
});
