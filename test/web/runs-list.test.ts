/**
 * The runs list in a real browser against the real stack: 250 stored runs load a page at a time and only
 * the rows on screen are in the page; filters live in the URL and narrow the list exactly; a run started
 * meanwhile appears and turns SUCCEEDED live; two selected cancelled runs are retried together and a running
 * one is cancelled from the list.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { dashboardSuite } from './support/dashboard-suite.js';
import { signedInPage } from './support/signed-in.js';

const suite = dashboardSuite({ worker: true });

const QUICK = { nodes: [{ id: 'done', type: 'set', config: { value: 1 } }] };
const SLOW = { nodes: [{ id: 'wait', type: 'delay', config: { duration: '10m' } }] };
const STORED = 250;

describe('runs list', () => {
  it('pages through stored runs rendering only visible rows, filters through the URL, and follows live changes', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id liveVersion { id } } }`, {
      input: { name: 'listed', dag: QUICK },
    });
    const start = Date.now() - STORED * 60_000;
    await suite.ctx.db.prisma.run.createMany({
      data: Array.from({ length: STORED }, (_unused, index) => ({
        id: randomUUID(),
        agentId: createAgent.id,
        agentVersionId: createAgent.liveVersion.id,
        status: index % 10 === 0 ? ('FAILED' as const) : ('SUCCEEDED' as const),
        trigger: 'API' as const,
        input: { customer: index === 7 ? 'needle-corp' : `customer-${index}` },
        startedAt: new Date(start + index * 60_000),
        finishedAt: new Date(start + index * 60_000 + 1_500),
      })),
    });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByText(`${STORED} runs`).waitFor();
    const rendered = await page.locator('.runs-scroller [role="row"]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    await screenshot(page, 'runs-list');

    // Scrolling to the end loads the later pages; the page still holds only the rows in view.
    const scroller = page.getByTestId('runs-scroller');
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await scroller.evaluate((element) => element.scrollTo(0, element.scrollHeight));
      if ((await page.locator(`.runs-scroller [aria-rowindex="${STORED + 1}"]`).count()) > 0) break;
      await page.waitForTimeout(200);
    }
    await page.locator(`.runs-scroller [aria-rowindex="${STORED + 1}"]`).waitFor();
    expect(await page.locator('.runs-scroller [role="row"]').count()).toBeLessThan(60);

    // A status filter goes into the URL, and so does the input search.
    await page.getByRole('checkbox', { name: 'failed' }).check();
    await page.waitForURL(/status=FAILED/);
    await page.getByText(`${STORED / 10} runs`).waitFor();
    expect(await page.locator('.runs-scroller [data-status]').evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-status')))).toEqual(
      expect.arrayContaining(['FAILED']),
    );
    expect(new Set(await page.locator('.runs-scroller [data-status]').evaluateAll((badges) => badges.map((badge) => badge.getAttribute('data-status'))))).toEqual(new Set(['FAILED']));
    await page.getByRole('checkbox', { name: 'failed' }).uncheck();
    await page.getByLabel('Input contains').fill('needle');
    await page.waitForURL(/q=needle/);
    await page.getByText('1 run', { exact: true }).waitFor();
    await page.getByLabel('Input contains').fill('');
    await page.getByText(`${STORED} runs`).waitFor();

    // A run started now appears at the top and turns SUCCEEDED without a reload.
    const { startRun } = await suite.ctx.graphqlOk(`mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`, { agentId: createAgent.id });
    await page.locator(`[data-run-id="${startRun.id}"] [data-status="SUCCEEDED"]`).waitFor({ timeout: 20_000 });
  });

  it('retries two selected cancelled runs together and cancels a running one', async () => {
    const { createAgent: slow } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'bulk-slow', dag: SLOW } });
    const cancelled: string[] = [];
    for (let index = 0; index < 2; index += 1) {
      const { startRun } = await suite.ctx.graphqlOk(`mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`, { agentId: slow.id });
      cancelled.push(startRun.id);
    }
    for (const id of cancelled) await suite.ctx.graphqlOk(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id });
    await expect.poll(async () => (await suite.ctx.db.prisma.run.findMany({ where: { id: { in: cancelled } } })).map((run) => run.status), { timeout: 20_000 }).toEqual(['CANCELLED', 'CANCELLED']);
    const { startRun: running } = await suite.ctx.graphqlOk(`mutation ($agentId: ID!) { startRun(agentId: $agentId) { id } }`, { agentId: slow.id });

    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.goto(`${suite.ctx.api.url}/runs?agent=${slow.id}`);
    await page.locator(`[data-run-id="${running.id}"]`).waitFor();
    for (const id of cancelled) await page.locator(`[data-run-id="${id}"] input[type="checkbox"]`).check();
    await page.getByRole('button', { name: 'Retry selected' }).click();
    await page.getByRole('status').filter({ hasText: 'Retried 2 of 2 selected' }).waitFor();
    const retries = await suite.ctx.db.prisma.run.findMany({ where: { retryOfRunId: { in: cancelled } } });
    expect(retries.map((run) => run.retryOfRunId).sort()).toEqual([...cancelled].sort());

    await page.locator(`[data-run-id="${running.id}"] input[type="checkbox"]`).check();
    await page.getByRole('button', { name: 'Cancel selected' }).click();
    await page.locator(`[data-run-id="${running.id}"] [data-status="CANCELLED"]`).waitFor({ timeout: 20_000 });
    for (const retry of retries) await suite.ctx.graphqlOk(`mutation ($id: ID!) { cancelRun(id: $id) { id } }`, { id: retry.id });
  });
});
