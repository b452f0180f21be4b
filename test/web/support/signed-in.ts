/**
 * A test API whose first-run setup is done: an OWNER user exists, and a browser page is signed in as them
 * through the dashboard's sign-in form.
 */
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { type ApiTestContext, startTestApi } from '../../api/support/api-test-context.js';

export const OWNER = { email: 'owner@acme.test', password: 'owner password 12345' };

/** Starts a test API (options as `startTestApi`) and creates the owner with the setup token it logs. */
export async function startApiWithOwner(options: Parameters<typeof startTestApi>[0] = {}): Promise<ApiTestContext> {
  let setupToken = '';
  const logger = pino({ level: 'warn' }, { write: (line: string) => void (setupToken = (JSON.parse(line) as { setupToken?: string }).setupToken ?? setupToken) });
  const ctx = await startTestApi({ ...options, logger });
  const setup = await ctx.graphqlWith({}, `mutation ($token: String!, $email: String!, $password: String!) {
    setupOwner(token: $token, email: $email, password: $password, workspaceName: "Acme") { user { id } }
  }`, { token: setupToken, ...OWNER });
  if (setup.errors) throw new Error(`owner setup failed: ${JSON.stringify(setup.errors)}`);
  return ctx;
}

/** Opens the dashboard in a new page of `browser` and signs in as `account`. */
export async function signedInPage(browser: Browser, ctx: ApiTestContext, account = OWNER): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(ctx.api.url);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Agents' }).waitFor();
  return page;
}
