/**
 * Settings in a real browser: an owner creates an API key, sees it once, uses it, revokes it, and finds
 * both in the audit log (filtered by action); invites a member who joins through the link in another
 * browser, then changes their role; rotates an agent's webhook secret and the signing example shown works
 * as written; sets a secret that is never shown and cannot be deleted while an agent uses it; a VIEWER sees
 * the members but no keys, webhooks, secrets or audit log.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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
    await page.getByLabel('Audit action').fill('api_key.create');
    await expect.poll(() => audit.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-audit-action')))).toEqual(['api_key.create']);
    await screenshot(page, 'settings');
  });

  it('invites a member who joins from the link, and changes their role', async () => {
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Invitee email').fill('operator@acme.test');
    await page.getByLabel('Invitee role').selectOption('OPERATOR');
    await page.getByRole('button', { name: 'Invite' }).click();
    const link = (await page.getByLabel('Invitation link').locator('code').textContent())!;
    expect(link).toContain('/invitations/accept?token=');
    await page.locator('tr[data-invitation="operator@acme.test"]').waitFor();
    // A second invitation, withdrawn: its row goes.
    await page.getByLabel('Invitee email').fill('mistake@acme.test');
    await page.getByRole('button', { name: 'Invite' }).click();
    const mistaken = page.locator('tr[data-invitation="mistake@acme.test"]');
    await mistaken.getByRole('button', { name: 'Withdraw' }).click();
    await mistaken.waitFor({ state: 'detached' });
    expect(await suite.ctx.db.prisma.invitation.count({ where: { email: 'mistake@acme.test' } })).toBe(0);

    const invitee = await suite.browser.newPage();
    try {
      await invitee.goto(link);
      await invitee.getByLabel(/Password/).fill('operator password 12345');
      await invitee.getByRole('button', { name: 'Join' }).click();
      await invitee.getByRole('link', { name: 'Agents' }).waitFor();
      expect(new URL(invitee.url()).pathname).toBe('/');
    } finally {
      await invitee.close();
    }
    await page.reload();
    expect((await suite.ctx.db.prisma.invitation.findFirstOrThrow({ where: { email: 'operator@acme.test' } })).acceptedAt).not.toBeNull();
    const row = page.locator('tr[data-member="operator@acme.test"]');
    expect(await row.getByLabel('Role of operator@acme.test').inputValue()).toBe('OPERATOR');
    await row.getByLabel('Role of operator@acme.test').selectOption('EDITOR');
    await expect.poll(async () => (await suite.ctx.db.prisma.membership.findFirst({ where: { user: { email: 'operator@acme.test' } } }))?.role).toBe('EDITOR');
  });

  it("rotates an agent's webhook secret, and the signing example shown starts a run as written", async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'hooked', dag: { nodes: [{ id: 'done', type: 'set', config: { value: 1 } }] } },
    });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'Settings' }).click();
    const row = page.locator('tr[data-webhook-agent="hooked"]');
    expect(await row.textContent()).toContain('never');
    await row.getByRole('button', { name: 'Rotate secret' }).click();
    const example = (await page.getByLabel('Signing example').textContent())!;
    expect(example).toContain(`AGENT=${createAgent.id}`);
    const { stdout } = await promisify(execFile)('bash', ['-c', example]);
    expect(stdout).toMatch(/HTTP\/1.1 202/);
    const runId = (JSON.parse(stdout.slice(stdout.indexOf('{'))) as { runId: string }).runId;
    expect(await suite.ctx.db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ agentId: createAgent.id, trigger: 'WEBHOOK', input: { hello: 'world' } });
    await row.getByText('never').waitFor({ state: 'detached' });
  });

  it('sets a secret whose value is never shown, lists the agent using it, and refuses to delete it while used', async () => {
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'Settings' }).click();
    const value = 'sk_live_browser_0123456789';
    await page.getByLabel('Secret name').fill('crm_token');
    await page.getByLabel('Secret value').fill(value);
    await page.getByLabel('Allowed hosts').fill('api.crm.example, api.crm.example:8443');
    await page.getByRole('button', { name: 'Save secret' }).click();
    const row = page.locator('tr[data-secret="CRM_TOKEN"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('api.crm.example, api.crm.example:8443');
    expect(await row.textContent()).toContain('no live version');
    expect(await page.content()).not.toContain(value);

    await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'crm-sync', dag: { nodes: [{ id: 'push', type: 'http', config: { url: 'https://api.crm.example/contacts', headers: { Authorization: 'Bearer {{ secrets.CRM_TOKEN }}' } } }] } },
    });
    await page.reload();
    await row.getByRole('link', { name: 'crm-sync' }).waitFor();
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alert').getByText(/used by the live version of "crm-sync"/).waitFor();
    expect(await suite.ctx.db.prisma.secret.count({ where: { name: 'CRM_TOKEN' } })).toBe(1);
    await screenshot(page, 'settings-secrets');
  });

  it('shows a VIEWER the members but no API keys or audit log', async () => {
    const { inviteMember } = await suite.ctx.graphqlOk(`mutation { inviteMember(email: "viewer@acme.test", role: VIEWER) { token } }`);
    await suite.ctx.graphqlWith({}, `mutation ($token: String!) { acceptInvitation(token: $token, password: "viewer password 12345") { user { id } } }`, { token: inviteMember.token });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx, { email: 'viewer@acme.test', password: 'viewer password 12345' }));
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('table', { name: 'Members' }).getByText('viewer@acme.test').waitFor();
    expect(await page.getByRole('table', { name: 'API keys' }).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Audit log' }).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Webhooks' }).count()).toBe(0);
    expect(await page.getByRole('table', { name: 'Secrets' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Invite a member' }).count()).toBe(0);
  });
});
