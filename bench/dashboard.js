// @ts-check
/**
 * The dashboard under load, in headless Chromium against the real API and Postgres (no worker: runs are
 * stored as the worker would store them). Each figure is printed with its ratio to a small baseline
 * measured in the same run:
 * - canvas: time to the first rendered nodes of a 500-node DAG in the editor (vs 10 nodes), and the median
 *   and p95 frame time while panning it (vs the 10-node canvas);
 * - runs list: time to the first rows with 10,000 runs stored (vs 100), frame times while scrolling
 *   through 200 screens of it, and how many runs were loaded and how many rows were in the page;
 * - large values: main-thread stalls (> 50 ms) while a 200-node run's node panel opens a 5 MB output and
 *   loads it whole (vs a 1 kB output). Headless Chromium reports no Long Tasks API entries, so a stall is
 *   measured as a 16 ms timer firing more than 50 ms late: the time the main thread could not run it.
 * Traffic goes to 127.0.0.1 only.
 *
 * Usage: npm run dashboard -w bench   (CHROMIUM_PATH overrides /usr/bin/chromium)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { createApi } from '@trellis/api';
import { createTestDatabase } from '@trellis/test-support/database';

const database = await createTestDatabase();
const apiKey = `trl_bench_${randomBytes(24).toString('hex')}`;
// Temporal is not contacted: nothing here starts a workflow.
// Silent: the schedule reconciler's failures to reach Temporal are expected here.
const api = await createApi({ databaseUrl: database.url, temporalAddress: '127.0.0.1:1', bootstrapApiKey: apiKey, encryptPayloads: false, port: 0, limits: { requestsPerMinute: 0 }, logger: pino({ level: 'silent' }) });
const prisma = database.prisma;

/** POSTs one GraphQL operation with the bootstrap key; fails on errors. */
async function call(/** @type {string} */ query, variables = {}, headers = {}) {
  const response = await fetch(api.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = /** @type {any} */ (await response.json());
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { body, response };
}

/** A DAG of `layers` × `width` set nodes, each fed by the node of the same slot one layer up. */
function wideDag(/** @type {number} */ layers, /** @type {number} */ width) {
  const nodes = [];
  const edges = [];
  for (let layer = 0; layer < layers; layer += 1) {
    for (let slot = 0; slot < width; slot += 1) {
      nodes.push({ id: `n${layer}_${slot}`, type: 'set', config: { value: layer * width + slot } });
      if (layer > 0) edges.push({ from: `n${layer - 1}_${slot}`, to: `n${layer}_${slot}` });
    }
  }
  return { nodes, edges };
}

async function createAgent(/** @type {string} */ name, /** @type {unknown} */ dag) {
  const { body } = await call(`mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id liveVersion { id } } }`, { input: { name, dag } });
  return /** @type {{ id: string, liveVersion: { id: string } }} */ (body.data.createAgent);
}

/** Stores a SUCCEEDED run of `agent` with every node of `dag` SUCCEEDED, `outputOf(nodeId)` as outputs. */
async function storeRun(/** @type {{ id: string, liveVersion: { id: string } }} */ agent, /** @type {{ nodes: { id: string }[] }} */ dag, /** @type {(id: string) => unknown} */ outputOf) {
  const id = randomUUID();
  const startedAt = new Date(Date.now() - 60_000);
  await prisma.run.create({ data: { id, agentId: agent.id, agentVersionId: agent.liveVersion.id, status: 'SUCCEEDED', input: {}, startedAt, finishedAt: new Date() } });
  await prisma.nodeRun.createMany({
    data: dag.nodes.map((node, index) => ({
      runId: id,
      nodeId: node.id,
      type: 'set',
      status: /** @type {const} */ ('SUCCEEDED'),
      attempts: 1,
      output: /** @type {any} */ (outputOf(node.id) ?? index),
      startedAt: new Date(startedAt.getTime() + index * 10),
      finishedAt: new Date(startedAt.getTime() + index * 10 + 5),
    })),
  });
  return id;
}

/** Stores `count` finished runs of `agent`, one a minute back from now. */
async function storeRuns(/** @type {{ id: string, liveVersion: { id: string } }} */ agent, /** @type {number} */ count) {
  const now = Date.now();
  for (let offset = 0; offset < count; offset += 1_000) {
    await prisma.run.createMany({
      data: Array.from({ length: Math.min(1_000, count - offset) }, (_unused, index) => ({
        id: randomUUID(),
        agentId: agent.id,
        agentVersionId: agent.liveVersion.id,
        status: /** @type {const} */ ((offset + index) % 7 === 0 ? 'FAILED' : 'SUCCEEDED'),
        input: { customer: `customer-${offset + index}` },
        startedAt: new Date(now - (offset + index) * 60_000),
        finishedAt: new Date(now - (offset + index) * 60_000 + 1_200),
      })),
    });
  }
}

// A signed-in owner for the browser.
const password = randomBytes(12).toString('base64url');
const { body: invited } = await call(`mutation { inviteMember(email: "bench@trellis.local", role: OWNER) { token } }`);
const { response: accepted } = await call(`mutation ($token: String!, $password: String) { acceptInvitation(token: $token, password: $password) { user { id } } }`, { token: invited.data.inviteMember.token, password }, { authorization: '' });
const [cookieName, cookieValue] = accepted.headers.getSetCookie()[0].split(';')[0].split('=');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await context.addCookies([{ name: cookieName, value: cookieValue, url: api.url }]);
// Long tasks and frame times, collected in every page from its start.
await context.addInitScript(() => {
  const w = /** @type {any} */ (window);
  w.__longTasks = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last - 16 > 50) w.__longTasks.push(now - last - 16);
    last = now;
  }, 16);
  // When the page first showed the canvas waiting for its layout (the DAG has arrived) and its first node.
  w.__marks = {};
  new MutationObserver(() => {
    if (w.__marks.layingOut === undefined && document.body?.textContent?.includes('Laying out…')) w.__marks.layingOut = performance.now();
    if (w.__marks.nodes === undefined && document.querySelector('.react-flow__node')) w.__marks.nodes = performance.now();
  }).observe(document, { childList: true, subtree: true, characterData: true });
  w.__frames = null;
  w.__recordFrames = () => {
    w.__frames = [];
    let last = performance.now();
    const tick = (/** @type {number} */ now) => {
      if (!w.__frames) return;
      w.__frames.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  w.__stopFrames = () => {
    const frames = w.__frames ?? [];
    w.__frames = null;
    return frames;
  };
});
const page = await context.newPage();

/** Median and 95th percentile of `values`. */
function quantiles(/** @type {number[]} */ values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}

/** Milliseconds from the DAG's data arriving (the canvas shows "Laying out…") to its first rendered node. */
async function canvasWork() {
  const marks = /** @type {{ layingOut?: number, nodes?: number }} */ (await page.evaluate(() => (/** @type {any} */ (window)).__marks));
  return marks.layingOut !== undefined && marks.nodes !== undefined ? marks.nodes - marks.layingOut : NaN;
}

/** Milliseconds from navigating to `path` until `selector` is visible. */
async function timeToVisible(/** @type {string} */ path, /** @type {string} */ selector) {
  const begun = performance.now();
  await page.goto(`${api.url}${path}`);
  await page.locator(selector).first().waitFor({ timeout: 60_000 });
  return performance.now() - begun;
}

/** Main-thread stalls (count, total and longest, ms) seen in the page since the last call. */
async function takeLongTasks() {
  const tasks = /** @type {number[]} */ (await page.evaluate(() => (/** @type {any} */ (window)).__longTasks.splice(0)));
  return { count: tasks.length, total: tasks.reduce((sum, task) => sum + task, 0), longest: Math.max(0, ...tasks) };
}

/** Frame times while dragging the canvas pane around. */
async function panFrames() {
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (!pane) throw new Error('no canvas pane');
  await page.evaluate(() => (/** @type {any} */ (window)).__recordFrames());
  const x = pane.x + pane.width / 2;
  const y = pane.y + pane.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 0; step < 4; step += 1) {
    await page.mouse.move(x - 300, y - 150, { steps: 30 });
    await page.mouse.move(x + 300, y + 150, { steps: 30 });
  }
  await page.mouse.up();
  return quantiles(await page.evaluate(() => (/** @type {any} */ (window)).__stopFrames()));
}

/** Frame times while scrolling the runs list down `screens` screens, and the rows loaded and in the page. */
async function scrollRuns(/** @type {number} */ screens) {
  await page.evaluate(() => (/** @type {any} */ (window)).__recordFrames());
  for (let screen = 0; screen < screens; screen += 1) {
    await page.getByTestId('runs-scroller').evaluate((element) => element.scrollBy(0, element.clientHeight));
    await page.waitForTimeout(16);
  }
  const frames = quantiles(await page.evaluate(() => (/** @type {any} */ (window)).__stopFrames()));
  const loaded = await page.locator('.runs-scroller [aria-rowindex]').evaluateAll((rows) => Math.max(...rows.map((row) => Number(row.getAttribute('aria-rowindex')) - 1)));
  const inPage = await page.locator('.runs-scroller [role="row"]').count();
  return { frames, loaded, inPage };
}

const figures = [];
const row = (/** @type {string} */ name, /** @type {number} */ value, /** @type {number} */ baseline, unit = 'ms') =>
  figures.push(`${name.padEnd(58)} ${value.toFixed(1).padStart(9)} ${unit.padEnd(4)} (x${(value / Math.max(baseline, 0.001)).toFixed(2)} of the baseline, ${baseline.toFixed(1)} ${unit})`);

// Canvas: 10 vs 500 nodes in the editor.
const smallDag = wideDag(1, 10);
const largeDag = wideDag(50, 10);
const small = await createAgent('canvas-10', smallDag);
const large = await createAgent('canvas-500', largeDag);
await timeToVisible(`/agents/${small.id}/edit`, '.react-flow__node'); // warms the browser's cache of the app
const smallCanvas = await timeToVisible(`/agents/${small.id}/edit`, '.react-flow__node');
const smallWork = await canvasWork();
const smallPan = await panFrames();
const largeCanvas = await timeToVisible(`/agents/${large.id}/edit`, '.react-flow__node');
const largeWork = await canvasWork();
const largePan = await panFrames();
row('500-node DAG: navigation to first rendered nodes (editor)', largeCanvas, smallCanvas);
row('500-node DAG: DAG received to first rendered nodes (layout)', largeWork, smallWork);
row('500-node DAG: median frame while panning', largePan.p50, smallPan.p50);
row('500-node DAG: p95 frame while panning', largePan.p95, smallPan.p95);

// Runs list: 100 vs 10,000 runs.
const fewRuns = await createAgent('runs-100', smallDag);
const manyRuns = await createAgent('runs-10000', smallDag);
await storeRuns(fewRuns, 100);
await storeRuns(manyRuns, 10_000);
const fewList = await timeToVisible(`/runs?agent=${fewRuns.id}`, '.runs-scroller [role="row"]');
const fewScroll = await scrollRuns(20);
const manyList = await timeToVisible(`/runs?agent=${manyRuns.id}`, '.runs-scroller [role="row"]');
const manyScroll = await scrollRuns(200);
row('10,000 runs: time to first rows', manyList, fewList);
row('10,000 runs: median frame while scrolling 200 screens', manyScroll.frames.p50, fewScroll.frames.p50);
row('10,000 runs: p95 frame while scrolling 200 screens', manyScroll.frames.p95, fewScroll.frames.p95);
figures.push(`${'10,000 runs: runs loaded after 200 screens / rows in the page'.padEnd(58)} ${String(manyScroll.loaded).padStart(9)} / ${manyScroll.inPage}`);

// Large values: a 5 MB output vs a 1 kB one, and a 200-node run.
const big = { rows: Array.from({ length: 80_000 }, (_unused, id) => ({ id, label: `row ${id} of a five megabyte output` })) };
const valuesDag = wideDag(20, 10);
const values = await createAgent('values', valuesDag);
const bigRun = await storeRun(values, valuesDag, (nodeId) => (nodeId === 'n19_9' ? big : nodeId === 'n0_0' ? { text: 'x'.repeat(1_000) } : null));
await page.goto('about:blank');
await timeToVisible(`/runs/${bigRun}?node=n0_0`, '.node-panel pre');
await page.waitForTimeout(500);
const smallOpen = await takeLongTasks();
await page.goto(`${api.url}/runs/${bigRun}?node=n19_9`);
await page.getByRole('button', { name: /Load all/ }).waitFor({ timeout: 60_000 });
await page.waitForTimeout(500);
const bigPreview = await takeLongTasks();
const loadBegun = performance.now();
await page.getByRole('button', { name: /Load all/ }).click();
await page.locator('.json-lines').waitFor({ timeout: 60_000 });
const loadMs = performance.now() - loadBegun;
await page.waitForTimeout(500);
const bigLoad = await takeLongTasks();
figures.push(`${'200-node run with a 5 MB output panel, opening: stalls'.padEnd(58)} ${String(bigPreview.count).padStart(9)}      (total ${bigPreview.total.toFixed(0)} ms, longest ${bigPreview.longest.toFixed(0)} ms; with a 1 kB panel: ${smallOpen.count}, ${smallOpen.total.toFixed(0)} ms)`);
figures.push(`${'5 MB output, "Load all": time to the virtualised view'.padEnd(58)} ${loadMs.toFixed(1).padStart(9)} ms   (stalls ${bigLoad.count}, total ${bigLoad.total.toFixed(0)} ms, longest ${bigLoad.longest.toFixed(0)} ms)`);

process.stdout.write(`\nDashboard figures (headless Chromium, ${new Date().toISOString()})\n${figures.join('\n')}\n`);
await browser.close();
await api.close();
await database.drop();
process.exit(0);
