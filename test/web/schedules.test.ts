/**
 * Schedules in a real browser, against the real API, worker, Temporal and Postgres: create an interval
 * schedule on the agent page, pause it with a note, trigger it now and see its run, unpause it.
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { dashboardSuite } from './support/dashboard-suite.js';
import { signedInPage } from './support/signed-in.js';

const suite = dashboardSuite({ worker: true });

describe('schedules', () => {
  it('creates, pauses with a note, triggers and unpauses a schedule from the agent page', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'nightly', dag: { nodes: [{ id: 'tick', type: 'set', config: { value: 1 } }] } },
    });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'nightly' }).click();
    await page.getByLabel('Schedule timing').fill('1h');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    const row = page.getByRole('table', { name: 'Schedules' }).locator('tbody tr').first();
    await row.getByText('every 1h').waitFor();
    expect(await row.textContent()).toContain('Active');
    const [schedule] = await suite.ctx.db.prisma.schedule.findMany({ where: { agentId: createAgent.id } });
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
    expect((await suite.ctx.db.prisma.schedule.findUniqueOrThrow({ where: { id: schedule.id } })).paused).toBe(false);
    await suite.ctx.graphqlOk(`mutation ($id: ID!) { deleteSchedule(id: $id) }`, { id: schedule.id });
  });
});
