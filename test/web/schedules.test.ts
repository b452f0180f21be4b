/**
 * Schedules in a real browser, against the real API, worker, Temporal and Postgres: create an interval
 * schedule on the agent page, pause it with a note, trigger it now and see its run, unpause it, change it to
 * a cron expression read out in words, and backfill missed fires.
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

    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByLabel('Pause note').fill('maintenance window');
    await row.getByRole('button', { name: 'Pause now' }).click();
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

    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByLabel('New timing').fill('0 9 * * 1-5');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('At 09:00, Monday through Friday (UTC)').waitFor();
    expect(await row.getByRole('list', { name: 'Next fires' }).locator('li').count()).toBe(5);
    expect((await suite.ctx.db.prisma.schedule.findUniqueOrThrow({ where: { id: schedule.id } })).cron).toBe('0 9 * * 1-5');

    // Backfilling the last week's weekday 09:00 fires (at least four, whatever the time of day) starts their runs.
    const before = await suite.ctx.db.prisma.run.count({ where: { agentId: createAgent.id } });
    const local = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const fires = suite.ctx.db.prisma.run;
    await row.getByRole('button', { name: 'Backfill' }).click();
    await row.getByLabel('Backfill from').fill(local(new Date(Date.now() - 7 * 86_400_000)));
    await row.getByLabel('Backfill to').fill(local(new Date()));
    await row.getByLabel('Backfill overlap').selectOption('ALLOW_ALL');
    await row.getByRole('button', { name: 'Run the missed fires' }).click();
    await expect.poll(() => fires.count({ where: { agentId: createAgent.id, trigger: 'SCHEDULE' } }), { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 4);
    await suite.ctx.graphqlOk(`mutation ($id: ID!) { deleteSchedule(id: $id) }`, { id: schedule.id });
  });
});
