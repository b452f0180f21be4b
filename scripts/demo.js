// @ts-check
/**
 * `npm run demo`: starts the stack, registers the agents in examples/, runs the license audit on
 * this repository's own package-lock.json (served over HTTP, report posted to a local receiver),
 * starts a second run that waits on an approval, and keeps serving until Ctrl-C.
 * TRELLIS_DEMO_EXIT=1 stops after the runs (for scripted checks).
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateDag } from '@trellis/dag-interpreter';
import { nodeTypeCatalogue } from '@trellis/connectors';
import { log, repoRoot, serveUntilSignal, startStack } from './stack.js';

const fixture = await startFixture();
// The worker refuses loopback like any private address: the demo opens exactly its own receiver.
process.env.TRELLIS_EGRESS_ALLOW = [process.env.TRELLIS_EGRESS_ALLOW, new URL(fixture.url).host].filter(Boolean).join(',');
const stack = await startStack();
const gql = graphqlClient(stack.graphqlUrl, stack.apiKey);
const owner = await ensureDemoOwner();

const agents = await registerExamples();
const audit = agents.get('license-audit');
if (!audit) throw new Error('examples/license-audit.json is missing');

log('run 1: license-audit on package-lock.json');
const first = await gql(`mutation($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`, {
  agentId: audit,
  input: { lockfileUrl: `${fixture.url}/package-lock.json`, reportUrl: `${fixture.url}/reports` },
});
const finished = await waitForRun(first.startRun.id, (status) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status));
printRun(finished);
if (fixture.reports.length > 0) log(`the local receiver got the report (${fixture.reports.at(-1)?.length} bytes)`);

log('run 2: license-audit that needs review of MPL and EPL licenses');
const second = await gql(`mutation($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`, {
  agentId: audit,
  input: { lockfileUrl: `${fixture.url}/package-lock.json`, reportUrl: `${fixture.url}/reports`, reviewLicenses: ['MPL', 'EPL'] },
});
const waiting = await waitForRun(second.startRun.id, (status) => status !== 'RUNNING');
printRun(waiting);
const pending = await gql(`{ approvals { id message decisionUrl run { id } } }`);
const approval = pending.approvals.find((/** @type {any} */ a) => a.run.id === second.startRun.id);
if (approval) {
  log(`approval waiting: "${approval.message}"`);
  log('decide it with:');
  const body = JSON.stringify({
    query: `mutation { decideApproval(id: "${approval.id}", approve: true, comment: "reviewed") { status decidedAt } }`,
  });
  process.stdout.write(
    `\n  curl -s ${stack.graphqlUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${stack.apiKey}' -d '${body}'\n\n`,
  );
  log(`or open its signed decision link in a browser (single use):\n\n  ${approval.decisionUrl}\n`);
  log(`or sign in to the dashboard as the owner below and decide it in the inbox: ${stack.apiUrl}/inbox (the run: ${stack.apiUrl}/runs/${second.startRun.id})`);
}

await runLlmExample(agents.get('license-summary-llm'));

log(`Dashboard     ${stack.apiUrl}/ (sign in as the owner below)`);
log(`GraphQL API   ${stack.graphqlUrl}`);
log(`API key       ${stack.apiKey} (OWNER; send it as "authorization: Bearer <key>")`);
log(`Owner         ${owner.email} / ${owner.password} (sign in with the login mutation; the session cookie works like the key)`);
if (stack.temporalUiUrl) log(`Temporal UI   ${stack.temporalUiUrl}`);
if (process.env.TRELLIS_DEMO_EXIT === '1') {
  await fixture.close();
  await stack.stop();
  process.exit(finished.status === 'SUCCEEDED' ? 0 : 1);
}
log('serving; press Ctrl-C to stop');
serveUntilSignal({ stop: async () => (await fixture.close(), await stack.stop()) });

/**
 * The demo's owner account, kept in `<data dir>/demo-owner.json` (readable by its owner only): on the first
 * start it is invited as OWNER with the API key and accepts with a generated password, as a person would.
 * @returns {Promise<{ email: string, password: string }>}
 */
async function ensureDemoOwner() {
  const file = join(stack.dataDir, 'demo-owner.json');
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
  }
  const owner = { email: 'owner@trellis.local', password: randomBytes(12).toString('base64url') };
  const { inviteMember } = await gql(`mutation($email: String!) { inviteMember(email: $email, role: OWNER) { token } }`, { email: owner.email });
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation($token: String!, $password: String) { acceptInvitation(token: $token, password: $password) { user { email } } }`,
      variables: { token: inviteMember.token, password: owner.password },
    }),
  });
  const { errors } = /** @type {{ errors?: { message: string }[] }} */ (await response.json());
  if (errors?.length) throw new Error(`creating the demo owner failed: ${errors.map((error) => error.message).join('; ')}`);
  await writeFile(file, `${JSON.stringify(owner)}\n`, { mode: 0o600, flag: 'wx' });
  return owner;
}

/** Creates each example agent, or publishes a new version when its DAG changed. */
async function registerExamples() {
  const catalogue = nodeTypeCatalogue();
  const { agents: existing } = await gql(`{ agents { id name liveVersion { version dag } } }`);
  const ids = new Map();
  const dir = join(repoRoot, 'examples');
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()) {
    const example = JSON.parse(await readFile(join(dir, file), 'utf8'));
    const checked = validateDag(example.dag, { catalogue });
    if (!checked.ok) throw new Error(`${file}: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    const current = existing.find((/** @type {any} */ a) => a.name === example.name);
    if (!current) {
      const { createAgent } = await gql(
        `mutation($input: CreateAgentInput!) { createAgent(input: $input) { id } }`,
        { input: { name: example.name, description: example.description, dag: example.dag } },
      );
      ids.set(example.name, createAgent.id);
      log(`registered ${example.name} (version 1)`);
    } else if (canonical(current.liveVersion?.dag) !== canonical(checked.dag)) {
      const { publishAgentVersion } = await gql(
        `mutation($agentId: ID!, $dag: JSON!) { publishAgentVersion(agentId: $agentId, dag: $dag) { version } }`,
        { agentId: current.id, dag: example.dag },
      );
      ids.set(example.name, current.id);
      log(`published ${example.name} version ${publishAgentVersion.version}`);
    } else {
      ids.set(example.name, current.id);
      log(`${example.name} is up to date (version ${current.liveVersion.version})`);
    }
  }
  return ids;
}

/** Runs the LLM example when a provider is configured; otherwise says why not. */
async function runLlmExample(/** @type {string | undefined} */ agentId) {
  const provider = process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL ? 'openai' : process.env.GEMINI_API_KEY ? 'gemini' : undefined;
  if (!agentId || !provider) {
    log('llm example skipped: set OPENAI_API_KEY/OPENAI_BASE_URL (any OpenAI-compatible server) or GEMINI_API_KEY to run it');
    return;
  }
  const model = process.env.TRELLIS_DEMO_MODEL ?? (provider === 'openai' ? 'gpt-4o-mini' : 'gemini-2.0-flash');
  log(`run 3: license-summary-llm with ${provider} model ${model}`);
  const started = await gql(`mutation($agentId: ID!, $input: JSON) { startRun(agentId: $agentId, input: $input) { id } }`, {
    agentId,
    input: { lockfileUrl: `${fixture.url}/package-lock.json`, provider, model },
  });
  printRun(await waitForRun(started.startRun.id, (status) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status), 120_000));
}

/** Polls `run(id)` until `done(status)`. */
async function waitForRun(/** @type {string} */ id, /** @type {(s: string) => boolean} */ done, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { run } = await gql(
      `query($id: ID!) { run(id: $id) { id status output error { message nodeId } nodes { nodeId type status attempts } } }`,
      { id },
    );
    if (done(run.status) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function printRun(/** @type {any} */ run) {
  log(`run ${run.id}: ${run.status}`);
  for (const node of run.nodes) log(`  ${node.nodeId.padEnd(10)} ${node.type.padEnd(9)} ${node.status}${node.attempts > 1 ? ` (${node.attempts} attempts)` : ''}`);
  if (run.output !== null && run.output !== undefined) log(`  output: ${JSON.stringify(run.output)}`);
  if (run.error) log(`  error: ${run.error.message}`);
}

function graphqlClient(/** @type {string} */ url, /** @type {string} */ apiKey) {
  return async (/** @type {string} */ query, /** @type {Record<string, unknown>} */ variables = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((/** @type {any} */ e) => e.message).join('; ')}`);
    return body.data;
  };
}

/** Serves this repo's package-lock.json and receives the posted reports. */
async function startFixture() {
  const lockfile = await readFile(join(repoRoot, 'package-lock.json'));
  /** @type {string[]} */
  const reports = [];
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/package-lock.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(lockfile);
      return;
    }
    if (req.method === 'POST' && req.url === '/reports') {
      const chunks = /** @type {Buffer[]} */ ([]);
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        reports.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"received":true}');
      });
      return;
    }
    res.writeHead(404).end();
  });
  const port = Number(process.env.DEMO_FIXTURE_PORT ?? 0);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    reports,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/** JSON with sorted keys, to compare DAGs regardless of key order. */
function canonical(/** @type {unknown} */ value) {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
