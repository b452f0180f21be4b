import { describe, expect, it } from 'vitest';
import { validateRunInput } from '@trellis/dag-interpreter';

const schema = {
  type: 'object',
  properties: {
    threshold: { type: 'number', minimum: 0 },
    email: { type: 'string', format: 'email' },
    items: { type: 'array', items: { type: 'integer' } },
    'odd key': { type: 'string' },
  },
  required: ['threshold'],
  additionalProperties: false,
};

describe('validateRunInput', () => {
  it('accepts anything without a schema', () => {
    expect(validateRunInput(undefined, { anything: [1] })).toEqual([]);
  });

  it('accepts valid input', () => {
    expect(validateRunInput(schema, { threshold: 3, email: 'ada@example.com', items: [1, 2] })).toEqual([]);
  });

  it('reports every violation with paths under input', () => {
    const issues = validateRunInput(schema, { email: 'not-an-email', items: [1, 'two', 3.5], extra: true, 'odd key': 1 });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'input.threshold', message: 'is required' },
        { path: 'input.extra', message: 'is not allowed' },
        { path: 'input.email', message: 'must match format "email"' },
        { path: 'input.items[1]', message: 'must be integer' },
        { path: 'input.items[2]', message: 'must be integer' },
        { path: 'input["odd key"]', message: 'must be string' },
      ]),
    );
    expect(issues).toHaveLength(6);
  });

  it('reports a wrong root type at input', () => {
    expect(validateRunInput(schema, 'text')).toEqual([{ path: 'input', message: 'must be object' }]);
  });

  it('supports draft-07 schemas', () => {
    const draft07 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { n: { type: 'number' } } };
    expect(validateRunInput(draft07, { n: 'x' })).toEqual([{ path: 'input.n', message: 'must be number' }]);
  });

  it('keeps schemas with the same $id apart', () => {
    expect(validateRunInput({ $id: 'urn:trellis:input', type: 'number' }, 1)).toEqual([]);
    expect(validateRunInput({ $id: 'urn:trellis:input', type: 'string' }, 1)).toEqual([{ path: 'input', message: 'must be string' }]);
  });

  it('reports an invalid schema under inputSchema instead of throwing', () => {
    expect(validateRunInput({ type: 'object', properties: { n: { type: 'nmber' } } }, {})).toEqual([
      { path: 'inputSchema.properties.n.type', message: 'must be one of: array, boolean, integer, null, number, object, string' },
    ]);
  });
});
