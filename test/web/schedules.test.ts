/**
 * Schedules in a real browser, against the real API, worker, Temporal and Postgres: create an interval
 * schedule on the agent page, pause it with a note, trigger it now and see its run, unpause it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@trellis/test-support/worker';
import type { ApiTestContext } from '../api/support/api-test-context.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { signedInPage, startApiWithOwner } from './support/signed-in.js';

let harness: Harness;
let ctx: ApiTestContext;
let browser: Browser;
let page: Page | undefined;

beforeAll(async () => {
  harness = await createHarness();
  ctx = await startApiWithOwner({ db: harness.db, temporalAddress: harness.temporalAddress, taskQueue: harness.taskQueue });
  browser = await launchBrowser();
});
afterEach(async (test) => {
  if (page && test.task.result?.state === 'fail') await screenshot(page, `failed-${test.task.name.replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await browser?.close();
  await ctx?.close();
  await harness?.close();
});

describe('schedules', () => {
  it('creates, pauses with a note, triggers and unpauses a schedule from the agent page', async () => {
    const { createAgent } = await ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'nightly', dag: { nodes: [{ id: 'tick', type: 'set', config: { value: 1 } }] } },
    });
    page = await signedInPage(browser, ctx);
    await page.getByRole('link', { name: 'nightly' }).click();
    await page.getByLabel('Schedule timing').fill('1h');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    const row = page.getByRole('table', { name: 'Schedules' }).locator('tbody tr').first();
    await row.getByText('every 1h').waitFor();
    expect(await row.textContent()).toContain('Active');
    const [schedule] = await ctx.db.prisma.schedule.findMany({ where: { agentId: createAgent.id } });
    expect(schedule).toMatchObject({ interval: '1h', paused: false });

    page.once('dialog', (dialog) => void dialog.accept('maintenance window'));
    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByText('Paused: maintenance window').waitFor();

    await row.getByRole('button', { name: 'Trigger now' }).click();
    // Temporal starts the run asynchronously; refresh until it is listed and has succeeded.
    const recent = row.locator('.recent-run [data-status="SUCCEEDED"]');
    for (let tries = 0; tries < 40 && (await recent.count()) === 0; tries += 1) {
      await page.getByRole('button', { name: 'Refresh schedules' }).click();
      await page.waitForTimeout(500);
    }
    expect(await recent.count()).toBe(1);
    // The agent's runs list below picked the scheduled run up live (runUpdated), without a reload.
    await page.locator('table').last().locator('[data-status="SUCCEEDED"]').waitFor();
    await screenshot(page, 'schedules');

    await row.getByRole('button', { name: 'Unpause' }).click();
    await row.getByText('Active').waitFor();
    expect((await ctx.db.prisma.schedule.findUniqueOrThrow({ where: { id: schedule.id } })).paused).toBe(false);
    await ctx.graphqlOk(`mutation ($id: ID!) { deleteSchedule(id: $id) }`, { id: schedule.id });
  });
});
