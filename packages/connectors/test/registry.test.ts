import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorError, ConnectorRegistry, createConnectorRegistry, defineConnector } from '../src/index.js';

const noop = defineConnector({
  type: 'noop',
  description: 'Does nothing.',
  configSchema: z.strictObject({}),
  execute: async () => null,
});

describe('connector registry', () => {
  it('holds the built-in connectors by default', () => {
    const registry = createConnectorRegistry();
    expect(registry.types()).toEqual(['code', 'http', 'llm']);
    expect(registry.has('http')).toBe(true);
    expect(registry.has('nope')).toBe(false);
    expect(registry.get('llm').type).toBe('llm');
    expect(Object.keys(registry.configSchemas()).sort()).toEqual(['code', 'http', 'llm']);
    expect(registry.configSchemas().http!.safeParse({ url: 'https://example.com' }).success).toBe(true);
  });

  it('fails loudly on an unknown type, listing the known types', () => {
    const registry = createConnectorRegistry();
    let thrown: unknown;
    try {
      registry.get('smtp');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConnectorError);
    const error = thrown as ConnectorError;
    expect(error.type).toBe('UnknownConnectorError');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('Unknown connector type "smtp"; known types: code, http, llm');
  });

  it('throws at construction on duplicate types', () => {
    expect(() => new ConnectorRegistry([noop, { ...noop, description: 'again' }])).toThrow('Duplicate connector type "noop"');
    expect(createConnectorRegistry([noop]).types()).toEqual(['noop']);
  });
});
