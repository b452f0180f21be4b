/**
 * The dashboard in a real browser, served by the real API: the first-run owner setup, the agents list of
 * the signed-in workspace, the workspace switcher, a wrong password shown on the form, and sign-out.
 */
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestContext, setDag, startTestApi } from '../api/support/api-test-context.js';
import { launchBrowser, screenshot } from './support/browser.js';

let ctx: ApiTestContext;
let browser: Browser;
let page: Page;
let setupToken = '';

beforeAll(async () => {
  const logger = pino({ level: 'warn' }, { write: (line: string) => void (setupToken = (JSON.parse(line) as { setupToken?: string }).setupToken ?? setupToken) });
  ctx = await startTestApi({ logger });
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
});
afterEach(async (test) => {
  if (test.task.result?.state === 'fail') await screenshot(page, `failed-${test.task.name.replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('dashboard sign-in', () => {
  it('serves the app at / with long-cached hashed assets, and leaves the API paths to the API', async () => {
    const response = await fetch(`${ctx.api.url}/agents/anything`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    expect(html).toContain('<div id="root"></div>');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    expect((await fetch(`${ctx.api.url}${asset}`)).headers.get('cache-control')).toContain('immutable');
    for (const path of ['/healthz', '/GRAPHQL', `/approvals/00000000-0000-4000-8000-000000000000/decision`]) {
      const answer = await fetch(`${ctx.api.url}${path}`, { headers: { accept: 'text/html' } });
      expect(await answer.text(), path).not.toContain('<div id="root"></div>');
    }
  });

  it('sets up the owner on a new installation, shows the workspace, switches workspace and signs out', async () => {
    await page.goto(ctx.api.url);
    await page.getByRole('button', { name: 'First run? Set up the owner account' }).click();
    await page.getByLabel('Setup token').fill(setupToken);
    await page.getByLabel('Email').fill('owner@acme.test');
    await page.getByLabel('Password').fill('owner password 12345');
    await page.getByLabel('Workspace name').fill('Acme');
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
    await page.getByText('No agents yet.').waitFor();

    // An agent created through the API shows up; a second workspace appears in the switcher.
    await ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'invoice-triage', dag: setDag() } });
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === 'trellis_session')!;
    expect(session.httpOnly).toBe(true);
    await ctx.graphqlWith({ cookie: `trellis_session=${session.value}` }, `mutation { createWorkspace(name: "Research") { id } }`);
    await page.reload();
    await page.getByRole('cell', { name: 'invoice-triage' }).waitFor();
    await screenshot(page, 'agents-list');

    await page.getByLabel('Workspace').selectOption({ label: 'Research (OWNER)' });
    await page.getByText('No agents yet.').waitFor();
    expect(await page.getByRole('cell', { name: 'invoice-triage' }).count()).toBe(0);
    await page.getByLabel('Workspace').selectOption({ label: 'Acme (OWNER)' });
    await page.getByRole('cell', { name: 'invoice-triage' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect((await page.context().cookies()).some((cookie) => cookie.name === 'trellis_session' && cookie.value !== '')).toBe(false);
  });

  it('shows a wrong password on the form and signs in with the right one', async () => {
    await page.goto(ctx.api.url);
    await page.getByLabel('Email').fill('owner@acme.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Invalid email or password');
    await screenshot(page, 'sign-in-error');
    await page.getByLabel('Password').fill('owner password 12345');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
  });
});
