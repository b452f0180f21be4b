import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFixture, startHttpFixture } from '@trellis/test-support';
import { createHarness, type Harness } from '@trellis/test-support/worker';

let harness: Harness;
let http: HttpFixture;
beforeAll(async () => {
  http = await startHttpFixture();
  harness = await createHarness({ egressAllow: [http.url] });
});
afterAll(async () => {
  await harness?.close();
  await http?.close();
});

describe('templates', () => {
  it('keep the value type for a whole-string template and render text otherwise', async () => {
    const dag = {
      nodes: [
        {
          id: 'typed',
          type: 'set',
          config: {
            value: {
              count: '{{ input.limit * 2 }}',
              flag: '{{ input.limit > 1 }}',
              list: '{{ input.items }}',
              object: '{{ { "a": input.limit } }}',
              text: 'limit is {{ input.limit }} of {{ $count(input.items) }}',
              literal: 7,
            },
          },
        },
      ],
    };
    const { output, failure } = await harness.run(dag, { limit: 3, items: ['x', 'y'] });
    expect(failure).toBeUndefined();
    expect(output).toEqual({
      typed: {
        count: 6,
        flag: true,
        list: ['x', 'y'],
        object: { a: 3 },
        text: 'limit is 3 of 2',
        literal: 7,
      },
    });
  });

  it('passes typed values into an activity node (JSON body, query number)', async () => {
    http.always('POST /echo', { status: 201, body: { ok: true } });
    const dag = {
      nodes: [
        { id: 'summary', type: 'set', config: { value: { count: '{{ $count(input.items) }}', items: '{{ input.items }}' } } },
        {
          id: 'post',
          type: 'http',
          config: { method: 'POST', url: `${http.url}/echo?n={{ input.n }}`, body: '{{ nodes.summary.output }}' },
        },
      ],
      edges: [{ from: 'summary', to: 'post' }],
      output: 'nodes.post.output.status',
    };
    const { output, failure } = await harness.run(dag, { items: [1, 2, 3], n: 5 });
    expect(failure).toBeUndefined();
    expect(output).toBe(201);
    const received = http.requests.find((r) => r.path.startsWith('/echo'));
    expect(received?.path).toBe('/echo?n=5');
    expect(received?.body).toEqual({ count: 3, items: [1, 2, 3] });
  });
});
