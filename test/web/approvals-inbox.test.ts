/**
 * The approvals inbox in a real browser, against the real API, worker, Temporal and Postgres: a run waiting
 * on an approval with a form is decided from the inbox with a value, and its run view goes on live to
 * SUCCEEDED with the decision in the output.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '@trellis/test-support';
import { screenshot } from './support/browser.js';
import { dashboardSuite } from './support/dashboard-suite.js';
import { signedInPage } from './support/signed-in.js';

const suite = dashboardSuite({ worker: true });

const DAG = {
  nodes: [
    {
      id: 'review',
      type: 'approval',
      config: {
        message: 'Refund 40 EUR to order A-17?',
        form: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] },
      },
    },
    { id: 'refund', type: 'set', config: { value: { refunded: '{{ nodes.review.output.values.amount }}' } } },
  ],
  edges: [{ from: 'review', to: 'refund' }],
  output: 'nodes.refund.output',
};

describe('approvals inbox', () => {
  it('decides a waiting approval with a form value, and the run goes on to SUCCEEDED', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'refunds', dag: DAG } });
    const { startRun } = await suite.ctx.graphqlOk(`mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: createAgent.id });
    await eventually(async () => (await suite.ctx.graphqlOk(`query ($id: ID!) { run(id: $id) { status } }`, { id: startRun.id })).run.status === 'WAITING');

    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'Approvals' }).click();
    const card = page.getByRole('article', { name: 'Approval: Refund 40 EUR to order A-17?' });
    await card.waitFor();
    await screenshot(page, 'approvals-inbox');
    // Approving without the form's required value is refused on the field, and nothing is decided.
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.locator('.error-detail, .text-danger').first().waitFor();
    expect(await card.locator('.error-detail, .text-danger').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/required/i)]));
    expect((await suite.ctx.db.prisma.approval.findFirstOrThrow({ where: { runId: startRun.id } })).status).toBe('PENDING');
    await card.getByLabel(/amount/).fill('40');
    await card.getByLabel('Comment').fill('customer is right');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing waits for your decision.').waitFor();
    // The decision is listed with who made it and how.
    await page.getByRole('list', { name: 'Recently decided' }).getByText('by owner@acme.test (in Trellis)').waitFor();

    await page.goto(`${suite.ctx.api.url}/runs/${startRun.id}`);
    await page.getByRole('heading', { name: /Run .* Succeeded/ }).waitFor({ timeout: 15_000 });
    const { run } = await suite.ctx.graphqlOk(`query ($id: ID!) { run(id: $id) { output } }`, { id: startRun.id });
    expect(run.output).toEqual({ refunded: 40 });
    const decided = await suite.ctx.db.prisma.approval.findFirstOrThrow({ where: { runId: startRun.id } });
    expect(decided).toMatchObject({ status: 'APPROVED', comment: 'customer is right', decidedBy: 'owner@acme.test', values: { amount: 40 } });
  });

  it('decides from the run view, in the approval node\'s panel, and the canvas goes on live', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'refunds-in-run', dag: DAG } });
    const { startRun } = await suite.ctx.graphqlOk(`mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: createAgent.id });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.goto(`${suite.ctx.api.url}/runs/${startRun.id}`);
    await page.locator('.dag-node[data-node-id="review"][data-status="WAITING"]').waitFor({ timeout: 15_000 });
    await page.locator('.dag-node[data-node-id="review"]').click();
    await page.waitForURL(/node=review/);
    const panel = page.getByRole('complementary', { name: 'Node review' });
    await panel.getByRole('tab', { name: 'approvals' }).click();
    const card = panel.getByRole('article', { name: 'Approval: Refund 40 EUR to order A-17?' });
    await card.getByLabel(/amount/).fill('12.5');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.dag-node[data-node-id="refund"][data-status="SUCCEEDED"]').waitFor({ timeout: 15_000 });
    await panel.locator('[data-approval-status="APPROVED"]').waitFor();
    const { run } = await suite.ctx.graphqlOk(`query ($id: ID!) { run(id: $id) { output } }`, { id: startRun.id });
    expect(run.output).toEqual({ refunded: 12.5 });
  });
});
