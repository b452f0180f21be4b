/**
 * Settings in a real browser: an owner creates an API key, sees it once, uses it, revokes it, and finds
 * both in the audit log; a VIEWER sees the members but no keys and no audit log.
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { dashboardSuite } from './support/dashboard-suite.js';
import { signedInPage } from './support/signed-in.js';

const suite = dashboardSuite();

describe('settings', () => {
  it('creates an API key shown once, which works until it is revoked, and audits both', async () => {
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings of Acme' }).waitFor();
    await page.getByLabel('Key name').fill('ci-bot');
    await page.getByLabel('Key role').selectOption('OPERATOR');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByLabel('New API key').locator('code');
    await shown.waitFor();
    const key = (await shown.textContent())!;
    expect(key).toMatch(/^trl_[0-9A-Za-z]{49}$/);
    const row = page.locator('tr[data-key-name="ci-bot"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('OPERATOR');
    expect(await row.textContent()).not.toContain(key);

    const asKey = () => suite.ctx.graphqlWith({ authorization: `Bearer ${key}` }, `{ agents { id } }`);
    expect((await asKey()).errors).toBeUndefined();
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked').waitFor();
    expect((await asKey()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await page.reload();
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.getByText('api_key.revoke').waitFor();
    expect(await audit.getByText('api_key.create').count()).toBe(1);
    await screenshot(page, 'settings');
  });

  it('shows a VIEWER the members but no API keys or audit log', async () => {
    const { inviteMember } = await suite.ctx.graphqlOk(`mutation { inviteMember(email: "viewer@acme.test", role: VIEWER) { token } }`);
    await suite.ctx.graphqlWith({}, `mutation ($token: String!) { acceptInvitation(token: $token, password: "viewer password 12345") { user { id } } }`, { token: inviteMember.token });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx, { email: 'viewer@acme.test', password: 'viewer password 12345' }));
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('table', { name: 'Members' }).getByText('viewer@acme.test').waitFor();
    expect(await page.getByRole('table', { name: 'API keys' }).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Audit log' }).count()).toBe(0);
  });
});
