/**
 * Shared test helpers that need nothing but Node: waiting on a condition, free ports, and the HTTP
 * server that stands in for the services under test (with its doubling and LLM-provider variants).
 *
 * Helpers with heavier dependencies have their own entry points, so a unit test does not load
 * Postgres or Temporal code: `@trellis/test-support/database` (throwaway databases),
 * `/temporal` (private Temporal dev servers), `/worker` (test workers and the DAG harness) and
 * `/global-setup` (vitest's global setup for the Temporal projects).
 */
export { eventually, EVENTUALLY_POLL_MS } from './eventually.js';
export { freePort, freePorts, stablePort } from './ports.js';
export {
  startHttpFixture,
  type HttpFixture,
  type HttpFixtureOptions,
  type RecordedRequest,
  type RequestHandler,
  type ScriptedResponse,
} from './http-fixture.js';
export { startCountingServer, type CountingServer } from './counting-server.js';
export {
  startFakeLlmServer,
  type FakeGeminiRequestBody,
  type FakeLlmProvider,
  type FakeLlmReply,
  type FakeLlmRequest,
  type FakeLlmServer,
  type FakeLlmUsage,
  type FakeOpenAiRequestBody,
} from './fake-llm-server.js';
