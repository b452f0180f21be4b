/** `invokeTool`'s work: checks a model's tool-call arguments, then sends the tool's HTTP request. */
import type { InvokeToolRequest, InvokeToolResult } from '@trellis/dag-interpreter';
import { parseConnectorConfig } from '../config-validation.js';
import type { ConnectorContext } from '../connector.js';
import { ConnectorError, ConnectorErrorType } from '../errors.js';
import { httpConfigSchema, httpConnector, type HttpOutput } from '../http.js';
import { schemaProblems } from './schema-problems.js';

/**
 * Validates `request.arguments` against `request.parameters`; on a mismatch returns `{ ok: false, error }`
 * listing each problem (`/path: message`) without sending anything. Otherwise parses `request.http` with the
 * `http` connector's schema and sends it (a config error, raised before anything is sent and produced by the
 * model's arguments, is `{ ok: false, error }` too); returns `{ ok: true, result }` with the response body (parsed JSON or text).
 *
 * @throws ConnectorError from the `http` connector (`HttpStatusError`: retryable for 5xx and 429,
 *   `NetworkError`, `TimeoutError`, `InvalidJsonResponse`), so Temporal retries with the node's policy.
 * @throws ConnectorError `ConfigError` when `parameters` is not a valid JSON Schema (the DAG is wrong, not the model).
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function invokeHttpTool(request: InvokeToolRequest, context: ConnectorContext): Promise<InvokeToolResult> {
  const problems = schemaProblems(request.parameters, request.arguments, `the parameters schema of tool "${request.tool}"`);
  if (problems.length > 0) return { ok: false, error: `arguments do not match the tool's parameters: ${problems.join('; ')}` };
  try {
    const config = parseConnectorConfig(httpConfigSchema, request.http, 'http');
    const response = (await httpConnector.execute(config, context)) as HttpOutput;
    return { ok: true, result: response.body };
  } catch (error) {
    // Config errors (bad URL, a body on GET) are raised before anything is sent.
    if (error instanceof ConnectorError && error.type === ConnectorErrorType.Config) return { ok: false, error: error.message };
    throw error;
  }
}
