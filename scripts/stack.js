// @ts-check
/**
 * Starts the whole Trellis stack in one process, for `npm start` and `npm run demo`:
 * Postgres (DATABASE_URL, else an embedded server), pending migrations, Temporal (TEMPORAL_ADDRESS,
 * else the pinned dev server), the worker and the API. Data lives under TRELLIS_DATA_DIR
 * (default `<repo>/.data`), so a second start reuses every agent and run.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { provisionDatabase, migrateDeploy, readClaimCheckThreshold } from '@trellis/db';
import { installTemporalRuntime, startWorker } from '@trellis/worker';
import { createApi, generateApiKey } from '@trellis/api';
import { ensureTemporal } from '../temporal/dev-server.mjs';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** @param {string} line */
export const log = (line) => process.stdout.write(`[trellis] ${line}\n`);

/**
 * The API's OWNER key is TRELLIS_BOOTSTRAP_API_KEY, else one generated on the first start and kept in
 * `<data dir>/api-key`; TRELLIS_SECRET_KEY likewise in `<data dir>/secret-key` (both readable by their owner only),
 * so every start of one data directory has the same keys.
 *
 * @returns {Promise<{ graphqlUrl: string, apiUrl: string, apiKey: string, dataDir: string, temporalUiUrl?: string, temporalAddress: string, stop(): Promise<void> }>}
 */
export async function startStack() {
  const dataDir = process.env.TRELLIS_DATA_DIR ?? join(repoRoot, '.data');
  const stops = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((/** @type {unknown} */ error) => log(`shutdown: ${error}`));
  };
  try {
    const database = await provisionDatabase({ dataDir, log });
    stops.push(() => database.stop());
    log(database.embedded ? `embedded Postgres at ${redact(database.url)}` : `Postgres from DATABASE_URL`);
    await migrateDeploy(database.url, { log });

    installTemporalRuntime();
    const temporal = await ensureTemporal({ dataDir: join(dataDir, 'temporal'), log });
    stops.push(() => temporal.stop());
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    const taskQueue = process.env.TEMPORAL_TASK_QUEUE;

    const claimCheckThresholdBytes = readClaimCheckThreshold(process.env);
    // The vault and payload encryption need TRELLIS_SECRET_KEY; the stack keeps one per data directory.
    process.env.TRELLIS_SECRET_KEY = process.env.TRELLIS_SECRET_KEY?.trim() || (await storedValue(dataDir, 'secret-key', () => randomBytes(32).toString('hex')));
    const worker = await startWorker({ databaseUrl: database.url, temporalAddress: temporal.address, namespace, taskQueue, claimCheckThresholdBytes });
    stops.push(() => worker.stop());
    log(`worker polling task queue "${taskQueue ?? 'trellis'}"`);

    const apiKey = process.env.TRELLIS_BOOTSTRAP_API_KEY?.trim() || (await storedValue(dataDir, 'api-key', () => generateApiKey().key));
    const api = await createApi({
      bootstrapApiKey: apiKey,
      databaseUrl: database.url,
      temporalAddress: temporal.address,
      namespace,
      taskQueue,
      claimCheckThresholdBytes,
      secretKey: process.env.TRELLIS_SECRET_KEY,
      previousSecretKeys: process.env.TRELLIS_PREVIOUS_SECRET_KEYS?.split(',').map((key) => key.trim()).filter(Boolean),
      encryptPayloads: process.env.TRELLIS_ENCRYPT_PAYLOADS?.trim().toLowerCase() !== 'false',
      port: Number(process.env.PORT ?? 4000),
      // Runs in the dashboard link to their workflow in the dev server's UI.
      temporalUiUrl: process.env.TRELLIS_TEMPORAL_UI_URL?.trim() || temporal.uiUrl,
    });
    stops.push(() => api.close());
    return { graphqlUrl: api.graphqlUrl, apiUrl: api.url, apiKey, dataDir, temporalUiUrl: temporal.uiUrl, temporalAddress: temporal.address, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Keeps the process alive until SIGINT/SIGTERM, then stops the stack. */
export function serveUntilSignal(/** @type {{ stop(): Promise<void> }} */ stack) {
  let stopping = false;
  const shutdown = async (/** @type {string} */ signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * The value kept in `<dataDir>/<name>` (readable by its owner only), made by `generate` when the file does
 * not exist yet, so every start of one data directory has the same API key and secret key.
 * @param {string} dataDir
 * @param {string} name
 * @param {() => string} generate
 * @returns {Promise<string>}
 */
async function storedValue(dataDir, name, generate) {
  const file = join(dataDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
  }
  const value = generate();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

/** @param {string} url */
function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
