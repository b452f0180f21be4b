/**
 * The agents list in a real browser: each agent with its live version, last run and the runs and success
 * rate of the last 24 hours, a search, and a new agent created from the list and opened in the editor.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { dashboardSuite } from './support/dashboard-suite.js';
import { signedInPage } from './support/signed-in.js';

const suite = dashboardSuite();
const DAG = { nodes: [{ id: 'done', type: 'set', config: { value: 1 } }] };

describe('agents list', () => {
  it('shows the last run and the 24-hour figures, searches, and creates an agent', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id liveVersion { id } } }`, {
      input: { name: 'billing', description: 'Sends the invoices', dag: DAG },
    });
    await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'triage', dag: DAG } });
    const statuses = ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED'] as const;
    for (const [index, status] of statuses.entries()) {
      const at = new Date(Date.now() - (index + 1) * 3_600_000);
      await suite.ctx.db.prisma.run.create({ data: { id: randomUUID(), agentId: createAgent.id, agentVersionId: createAgent.liveVersion.id, status, input: {}, startedAt: at, finishedAt: at } });
    }
    // Older than a day: the last run is the newest, and this one is outside the figures.
    const old = new Date(Date.now() - 30 * 3_600_000);
    await suite.ctx.db.prisma.run.create({ data: { id: randomUUID(), agentId: createAgent.id, agentVersionId: createAgent.liveVersion.id, status: 'FAILED', input: {}, startedAt: old, finishedAt: old } });

    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    const row = page.locator('tr[data-agent="billing"]');
    await row.waitFor();
    expect(await row.locator('[data-column="runs"]').textContent()).toBe('4');
    expect(await row.locator('[data-column="success"]').textContent()).toBe('75 %');
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('SUCCEEDED');
    expect(await page.locator('tr[data-agent="triage"] [data-column="success"]').textContent()).toBe('—');
    await screenshot(page, 'agents-list');

    await page.getByLabel('Search agents').fill('invoice');
    await expect.poll(() => page.locator('tr[data-agent]').count()).toBe(1);
    await page.getByLabel('Search agents').fill('');

    await page.getByLabel('New agent name').fill('fresh');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('heading', { name: 'Edit fresh' }).waitFor();
    await page.locator('.dag-node[data-node-id="start"]').waitFor();
    // A taken name is refused where it was typed.
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByLabel('New agent name').fill('billing');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('form', { name: 'New agent' }).getByRole('alert').filter({ hasText: 'already exists' }).waitFor();
  });

  it('shows an unknown run and an unknown address as messages, never a blank page', async () => {
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.goto(`${suite.ctx.api.url}/runs/${randomUUID()}`);
    await page.getByRole('alert').filter({ hasText: /not found/i }).waitFor();
    await screenshot(page, 'error-unknown-run', { fullPage: false });
    await page.goto(`${suite.ctx.api.url}/nowhere/at/all`);
    await page.getByRole('heading', { name: 'Nothing at this address' }).waitFor();
    await screenshot(page, 'error-unknown-address', { fullPage: false });
    await page.getByRole('link', { name: 'Back to the agents' }).click();
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
  });

  it('fits a phone-sized window: no screen scrolls sideways', async () => {
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [['/', 'narrow-agents'], ['/runs', 'narrow-runs'], ['/inbox', 'narrow-inbox'], ['/settings', 'narrow-settings']] as const) {
      await page.goto(`${suite.ctx.api.url}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await screenshot(page, name, { fullPage: false });
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
