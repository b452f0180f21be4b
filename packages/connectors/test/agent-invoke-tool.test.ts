import { ApplicationFailure } from '@temporalio/common';
import type { InvokeToolRequest, InvokeToolResult } from '@trellis/dag-interpreter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorActivities, createConnectorRegistry, type ConnectorActivities } from '../src/index.js';
import { startHttpFixture, type HttpFixture } from '@trellis/test-support';
import { activityEnvironment, allowFixture, rejectionOf } from './test-helpers.js';

let fixture: HttpFixture;
let activities: ConnectorActivities;
beforeAll(async () => {
  fixture = await startHttpFixture();
  activities = createConnectorActivities({ registry: createConnectorRegistry(), env: allowFixture(fixture.url) });
});
afterAll(async () => {
  await fixture.close();
});

function invokeTool(request: Partial<InvokeToolRequest>, attempt = 1): Promise<InvokeToolResult> {
  const environment = activityEnvironment({ attempt });
  return environment.run(activities.invokeTool, {
    runId: 'run-1',
    nodeId: 'planner',
    tool: 'get_weather',
    parameters,
    arguments: { city: 'Paris' },
    http: { url: `${fixture.url}/weather` },
    ...request,
  }) as Promise<InvokeToolResult>;
}

const failureOf = (promise: Promise<unknown>): Promise<ApplicationFailure> => rejectionOf(promise, ApplicationFailure);

const parameters = {
  type: 'object',
  properties: { city: { type: 'string', minLength: 1 }, units: { enum: ['metric', 'imperial'] } },
  required: ['city'],
  additionalProperties: false,
};

describe('invokeTool activity', () => {
  it('refuses arguments that do not match the parameters, listing each problem, and sends nothing', async () => {
    const before = fixture.requests.length;
    const result = await invokeTool({ arguments: { town: 'Paris', units: 'kelvin' } });
    expect(result.ok).toBe(false);
    const { error } = result as { error: string };
    expect(error).toMatch(/^arguments do not match the tool's parameters: /);
    expect(error).toContain('/city: is required');
    expect(error).toContain('/town: is not allowed');
    expect(error).toContain('/units: must be one of "metric", "imperial"');
    expect(fixture.requests.length).toBe(before);
  });

  it('refuses arguments the model sent as non-JSON text', async () => {
    const before = fixture.requests.length;
    const result = await invokeTool({ arguments: 'city=Paris' });
    expect(result).toEqual({ ok: false, error: "arguments do not match the tool's parameters: /: must be object" });
    expect(fixture.requests.length).toBe(before);
  });

  it('sends the rendered request and returns the response body', async () => {
    fixture.enqueue('POST /weather', { status: 200, body: { tempC: 21, sky: 'clear' } });
    const result = await invokeTool({
      arguments: { city: 'Paris', units: 'metric' },
      http: {
        method: 'POST',
        url: `${fixture.url}/weather`,
        query: { units: 'metric' },
        headers: { 'x-api-key': 'k-123' },
        body: { city: 'Paris' },
      },
    });
    expect(result).toEqual({ ok: true, result: { tempC: 21, sky: 'clear' } });
    const sent = fixture.requests.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', path: '/weather?units=metric', body: { city: 'Paris' } });
    expect(sent.headers['x-api-key']).toBe('k-123');
    expect(sent.headers['content-type']).toBe('application/json');
  });

  it('returns a text body as text', async () => {
    fixture.enqueue('GET /forecast', { body: 'sunny all week' });
    const result = await invokeTool({ http: { url: `${fixture.url}/forecast` } });
    expect(result).toEqual({ ok: true, result: 'sunny all week' });
  });

  it('reports a request config the arguments made invalid as ok:false, sending nothing', async () => {
    const before = fixture.requests.length;
    const badUrl = await invokeTool({ http: { url: 'Paris' } });
    expect(badUrl).toMatchObject({ ok: false, error: expect.stringContaining('config.url') });
    const bodyOnGet = await invokeTool({ http: { method: 'GET', url: `${fixture.url}/weather`, body: { city: 'Paris' } } });
    expect(bodyOnGet).toMatchObject({ ok: false, error: expect.stringContaining('cannot have a body') });
    expect(fixture.requests.length).toBe(before);
  });

  it('throws a non-retryable HttpStatusError failure on 404, with the attempt and status in details', async () => {
    fixture.enqueue('GET /weather', { status: 404, body: { error: 'no such city' } });
    const failure = await failureOf(invokeTool({}, 2));
    expect(failure.type).toBe('HttpStatusError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('HTTP 404');
    expect(failure.details).toEqual([{ attempt: 2, data: expect.objectContaining({ status: 404, body: { error: 'no such city' } }) }]);
  });

  it('throws a retryable failure on 503 with the server’s retry delay', async () => {
    fixture.enqueue('GET /weather', { status: 503, headers: { 'retry-after': '4' }, body: { error: 'busy' } });
    const failure = await failureOf(invokeTool({}));
    expect(failure.type).toBe('HttpStatusError');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(4000);
  });

  it('fails with a non-retryable ConfigError when the tool’s parameters are not a valid JSON Schema', async () => {
    const failure = await failureOf(invokeTool({ parameters: { type: 'object', properties: { city: { type: 'town' } } } }));
    expect(failure.type).toBe('ConfigError');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('the parameters schema of tool "get_weather" is not a valid JSON Schema');
  });
});
