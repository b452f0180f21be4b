import { describe, expect, it } from 'vitest';
import { toGeminiParameters } from '../src/index.js';

describe('toGeminiParameters', () => {
  it('strips JSON Schema keywords Gemini rejects, at every depth', () => {
    const converted = toGeminiParameters({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.com/order',
      $comment: 'internal',
      type: 'object',
      additionalProperties: false,
      properties: {
        items: {
          type: 'array',
          uniqueItems: true,
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { sku: { type: 'string', pattern: '^[A-Z]+$', default: 'X' }, qty: { type: 'integer', exclusiveMinimum: 0, multipleOf: 1 } },
            required: ['sku'],
          },
        },
        note: { type: 'string', examples: ['fragile'], maxLength: 200 },
      },
      required: ['items'],
    });
    expect(converted).toEqual({
      type: 'object',
      properties: {
        items: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', properties: { sku: { type: 'string', pattern: '^[A-Z]+$' }, qty: { type: 'integer' } }, required: ['sku'] },
        },
        note: { type: 'string', maxLength: 200 },
      },
      required: ['items'],
    });
  });

  it('turns nullable type lists, const and oneOf into their Gemini forms', () => {
    expect(
      toGeminiParameters({
        type: 'object',
        properties: {
          when: { type: ['string', 'null'], format: 'date-time' },
          mode: { const: 'fast' },
          id: { oneOf: [{ type: 'string', format: 'uuid' }, { type: 'integer', format: 'int64' }] },
          amount: { type: ['number', 'string'] },
          level: { enum: [1, 2, 3], type: 'integer' },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        when: { type: 'string', nullable: true, format: 'date-time' },
        mode: { type: 'string', enum: ['fast'] },
        id: { anyOf: [{ type: 'string' }, { type: 'integer', format: 'int64' }] },
        amount: { anyOf: [{ type: 'number' }, { type: 'string' }] },
        level: { type: 'integer' },
      },
    });
  });

  it('inlines local $refs, keeping the keywords beside them, and stops on recursion', () => {
    const converted = toGeminiParameters({
      type: 'object',
      $defs: {
        address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        node: { type: 'object', properties: { child: { $ref: '#/$defs/node' }, name: { type: 'string' } } },
      },
      properties: { shipTo: { $ref: '#/$defs/address', description: 'Where to ship' }, tree: { $ref: '#/$defs/node' } },
    });
    expect(converted?.properties).toMatchObject({
      shipTo: { type: 'object', description: 'Where to ship', properties: { city: { type: 'string' } }, required: ['city'] },
      tree: { type: 'object', properties: { name: { type: 'string' }, child: { type: 'object' } } },
    });
    expect(JSON.stringify(converted)).not.toContain('$ref');
    expect(JSON.stringify(converted)).not.toContain('$defs');
  });

  it('gives no parameters for a tool without properties, and drops required names that are not properties', () => {
    expect(toGeminiParameters({ type: 'object', properties: {} })).toBeUndefined();
    expect(toGeminiParameters({ type: 'object' })).toBeUndefined();
    expect(toGeminiParameters({ properties: { q: { type: 'string' } }, required: ['q', 'ghost'] })).toEqual({
      type: 'object',
      properties: { q: { type: 'string' } },
      required: ['q'],
    });
  });
});
