/**
 * A run watched live in the dashboard, against the real API, worker, Temporal and Postgres: from the agent
 * page, Start run opens the run, whose canvas shows the nodes turning RUNNING and SUCCEEDED without a reload;
 * a VIEWER is offered no Start button.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { screenshot } from './support/browser.js';
import { dashboardSuite } from './support/dashboard-suite.js';
import { signedInPage } from './support/signed-in.js';

let http: HttpFixture;
beforeAll(async () => {
  http = await startHttpFixture();
});
const suite = dashboardSuite({ worker: true, egressAllow: () => [http.url] });
afterAll(async () => {
  await http?.close();
});

const DAG = {
  nodes: [
    { id: 'fetch', type: 'set', config: { value: { items: 3 } } },
    { id: 'wait', type: 'delay', config: { duration: '2s' } },
    { id: 'done', type: 'set', config: { value: '{{ nodes.fetch.output.items }}' } },
  ],
  edges: [
    { from: 'fetch', to: 'wait' },
    { from: 'wait', to: 'done' },
  ],
};

/**
 * A page script recording the page's WebSockets in `__network.sockets`; while `__network.down` is set, new
 * ones go to a closed port, as on a network that dropped.
 */
const DROPPABLE_SOCKETS = `
  const Real = window.WebSocket;
  window.__network = { down: false, sockets: [] };
  window.WebSocket = class extends Real {
    constructor(url, protocols) {
      super(window.__network.down ? 'ws://127.0.0.1:9/' : url, protocols);
      window.__network.sockets.push(this);
    }
  };
`;

/** The status a canvas node shows (its `data-status`). */
async function canvasStatus(target: Page, nodeId: string): Promise<string | null> {
  return target.locator(`.dag-node[data-node-id="${nodeId}"]`).getAttribute('data-status');
}

describe('run view', () => {
  it('starts a run from the agent page and shows its nodes turn RUNNING then SUCCEEDED, live', async () => {
    await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'live-run', dag: DAG } });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    await page.getByRole('link', { name: 'live-run' }).click();
    await page.getByRole('heading', { name: 'live-run' }).waitFor();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('region', { name: 'Start a run' }).getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await page.locator('.dag-node[data-node-id="wait"]').waitFor();

    // The delay node is seen running, then every node succeeds, with no reload in between.
    await page.locator('.dag-node[data-node-id="wait"][data-status="RUNNING"]').waitFor({ timeout: 15_000 });
    const beforeReload = page.url();
    await screenshot(page, 'run-view-running');
    await page.locator('.dag-node[data-node-id="done"][data-status="SUCCEEDED"]').waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(beforeReload);
    for (const nodeId of ['fetch', 'wait', 'done']) expect(await canvasStatus(page, nodeId)).toBe('SUCCEEDED');
    await page.getByRole('heading', { name: /Run .* Succeeded/ }).waitFor();
    await screenshot(page, 'run-view-succeeded');
  });

  it('shows a node that failed once and then succeeded as two attempts on the timeline, with the backoff between', async () => {
    http.enqueue('GET /flaky', { status: 503, body: { error: 'busy' } }, { status: 200, body: { ok: true } });
    const dag = {
      nodes: [
        { id: 'call', type: 'http', config: { url: `${http.url}/flaky` }, retry: { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 1 } },
        { id: 'after', type: 'set', config: { value: '{{ nodes.call.output.body.ok }}' } },
      ],
      edges: [{ from: 'call', to: 'after' }],
    };
    await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'flaky-call', dag } });
    const page = (suite.page ??= await signedInPage(suite.browser, suite.ctx));
    await page.goto(suite.ctx.api.url);
    await page.getByRole('link', { name: 'flaky-call' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('region', { name: 'Start a run' }).getByRole('button', { name: 'Start', exact: true }).click();
    await page.locator('.dag-node[data-node-id="after"][data-status="SUCCEEDED"]').waitFor({ timeout: 20_000 });
    const bars = page.locator('.timeline-row[data-node-id="call"] .timeline-bar');
    await page.locator('.timeline-row[data-node-id="call"] .timeline-bar[data-attempt="2"]').waitFor();
    expect(await bars.count()).toBe(2);
    expect(await bars.nth(0).getAttribute('data-outcome')).toBe('failed');
    expect(await bars.nth(0).getAttribute('title')).toContain('503');
    expect(await bars.nth(1).getAttribute('data-outcome')).toBe('succeeded');
    // The second bar starts after the first ends: the backoff is a visible gap.
    const [first, second] = [await bars.nth(0).boundingBox(), await bars.nth(1).boundingBox()];
    expect(second!.x).toBeGreaterThan(first!.x + first!.width);
    expect(await page.locator('.dag-node[data-node-id="call"]').textContent()).toContain('2 attempts');
    await screenshot(page, 'run-view-timeline');
  });

  it('retries a failed run after a preview that names the reused nodes and warns about side effects', async () => {
    http.enqueue('POST /send', { status: 400, body: { error: 'bad request' } });
    const dag = {
      nodes: [
        { id: 'prepare', type: 'set', config: { value: { to: 'ops@acme.test' } } },
        { id: 'send', type: 'http', config: { method: 'POST', url: `${http.url}/send`, body: '{{ nodes.prepare.output }}' } },
        { id: 'finish', type: 'set', config: { value: 'sent' } },
      ],
      edges: [
        { from: 'prepare', to: 'send' },
        { from: 'send', to: 'finish' },
      ],
    };
    await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'sender', dag } });
    const page = (suite.page ??= await signedInPage(suite.browser, suite.ctx));
    await page.goto(suite.ctx.api.url);
    await page.getByRole('link', { name: 'sender' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('region', { name: 'Start a run' }).getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('heading', { name: /Run .* Failed/ }).waitFor({ timeout: 20_000 });
    const failedUrl = page.url();

    const panel = page.getByRole('region', { name: 'Retry' });
    await panel.locator('[data-plan-node="send"][data-plan="rerun"]').waitFor();
    expect(await panel.locator('[data-plan-node="prepare"]').getAttribute('data-plan')).toBe('reuse');
    expect(await panel.locator('[data-plan-node="send"]').textContent()).toContain('http runs again');
    expect(await panel.locator('[data-plan-node="finish"]').getAttribute('data-plan')).toBe('rerun');
    // From a chosen node the plan changes: everything from prepare runs again.
    await panel.getByLabel('Retry from').selectOption('prepare');
    await panel.locator('[data-plan-node="prepare"][data-plan="rerun"]').waitFor();
    await panel.getByLabel('Retry from').selectOption('');
    await panel.locator('[data-plan-node="prepare"][data-plan="reuse"]').waitFor();
    await screenshot(page, 'run-view-retry');

    http.enqueue('POST /send', { status: 200, body: { ok: true } });
    await panel.getByRole('button', { name: /Retry \(2 nodes run again\)/ }).click();
    await page.waitForURL((url) => url.href !== failedUrl && /\/runs\//.test(url.pathname));
    await page.getByRole('heading', { name: /Run .* Succeeded/ }).waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-node-row="prepare"]').textContent()).toContain('reused');
    expect(await page.locator('[data-node-row="send"]').textContent()).not.toContain('reused');
  });

  it("starts a run from a form generated from the version's input schema, checked before it is sent", async () => {
    const dag = {
      inputSchema: {
        type: 'object',
        properties: { city: { type: 'string', title: 'City' }, days: { type: 'integer', minimum: 1, title: 'Days' } },
        required: ['city', 'days'],
      },
      nodes: [{ id: 'plan', type: 'set', config: { value: '{{ input.city }} for {{ input.days }} days' } }],
    };
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: 'trip', dag } });
    // Version 2 is live and takes no input; the run is started from version 1, with an idempotency key.
    await suite.ctx.graphqlOk(`mutation ($id: ID!, $dag: JSON!) { publishAgentVersion(agentId: $id, dag: $dag) { id } }`, {
      id: createAgent.id,
      dag: { nodes: [{ id: 'plan', type: 'set', config: { value: 'anywhere' } }] },
    });
    const page = (suite.page ??= await signedInPage(suite.browser, suite.ctx));
    await page.goto(suite.ctx.api.url);
    await page.getByRole('link', { name: 'trip' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    const form = page.getByRole('region', { name: 'Start a run' });
    expect(await form.getByLabel(/City/).count()).toBe(0);
    await form.getByLabel('Version').selectOption('1');
    await form.getByLabel(/Idempotency key/).fill('trip-lisbon');
    await form.getByLabel(/City/).fill('Lisbon');
    await form.getByLabel(/Days/).fill('0');
    await form.getByRole('button', { name: 'Start', exact: true }).click();
    await form.getByText(/must be >= 1/).waitFor();
    expect(await suite.ctx.db.prisma.run.count({ where: { agentId: createAgent.id } })).toBe(0);
    await form.getByLabel(/Days/).fill('3');
    await form.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('heading', { name: /Run .* Succeeded/ }).waitFor({ timeout: 20_000 });
    const [run] = await suite.ctx.db.prisma.run.findMany({ where: { agentId: createAgent.id } });
    expect(run.input).toEqual({ city: 'Lisbon', days: 3 });
    expect(run.output).toEqual({ plan: 'Lisbon for 3 days' });
    expect(run.idempotencyKey).toBe('trip-lisbon');
    expect((await suite.ctx.db.prisma.agentVersion.findUniqueOrThrow({ where: { id: run.agentVersionId } })).version).toBe(1);
  });

  it('cancels a running run from its view, which shows it cancelled live', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'long-wait', dag: { nodes: [{ id: 'wait', type: 'delay', config: { duration: '10m' } }] } },
    });
    const { startRun } = await suite.ctx.graphqlOk(`mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: createAgent.id });
    const page = (suite.page ??= await signedInPage(suite.browser, suite.ctx));
    await page.goto(`${suite.ctx.api.url}/runs/${startRun.id}`);
    await page.locator('.dag-node[data-node-id="wait"][data-status="RUNNING"]').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByRole('heading', { name: /Run .* Cancelled/ }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    expect((await suite.ctx.db.prisma.run.findUniqueOrThrow({ where: { id: startRun.id } })).status).toBe('CANCELLED');
  });

  it('shows a lost connection as such, and goes on live once it is back', async () => {
    const { createAgent } = await suite.ctx.graphqlOk(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
      input: { name: 'offline', dag: { nodes: [{ id: 'wait', type: 'delay', config: { duration: '4s' } }, { id: 'done', type: 'set', config: { value: 1 } }], edges: [{ from: 'wait', to: 'done' }] } },
    });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx));
    // The page's sockets, and a switch that sends new ones to a closed port: a network that drops, then comes back.
    await page.addInitScript({ content: DROPPABLE_SOCKETS });
    const { startRun } = await suite.ctx.graphqlOk(`mutation ($id: ID!) { startRun(agentId: $id) { id } }`, { id: createAgent.id });
    await page.goto(`${suite.ctx.api.url}/runs/${startRun.id}`);
    await page.locator('.dag-node[data-node-id="wait"][data-status="RUNNING"]').waitFor({ timeout: 15_000 });
    await page.evaluate('__network.down = true; for (const socket of __network.sockets) socket.close(3000, "network dropped");');
    await page.getByRole('alert').filter({ hasText: 'Connection to Trellis lost' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'connection-lost', { fullPage: false });
    await page.evaluate('__network.down = false;');
    // Back online, the socket reconnects by itself, the view resumes after its last event and the run is seen to finish.
    await page.locator('.dag-node[data-node-id="done"][data-status="SUCCEEDED"]').waitFor({ timeout: 30_000 });
    await page.getByRole('alert').filter({ hasText: 'Connection to Trellis lost' }).waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('offers a VIEWER no Start, Edit or Make live control', async () => {
    const { inviteMember } = await suite.ctx.graphqlOk(`mutation { inviteMember(email: "viewer@acme.test", role: VIEWER) { token } }`);
    await suite.ctx.graphqlWith({}, `mutation ($token: String!) { acceptInvitation(token: $token, password: "viewer password 12345") { user { id } } }`, { token: inviteMember.token });
    const page = (suite.page = await signedInPage(suite.browser, suite.ctx, { email: 'viewer@acme.test', password: 'viewer password 12345' }));
    await page.getByRole('link', { name: 'live-run' }).click();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    expect(await page.getByRole('button', { name: 'Start run' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Make live' }).count()).toBe(0);
    // The run started above is listed and opens.
    await page.locator('table a').first().click();
    await page.getByRole('heading', { name: /Run .* Succeeded/ }).waitFor();
  });
});
