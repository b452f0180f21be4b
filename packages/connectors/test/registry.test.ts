import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONNECTOR_TRAITS, WORKFLOW_NODE_TYPES } from '@trellis/dag-interpreter';
import { ConnectorError, ConnectorRegistry, builtInConnectors, createConnectorRegistry, defineConnector, nodeTypeCatalogue } from '../src/index.js';

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
    expect(registry.connectors().map((connector) => connector.type)).toEqual(['code', 'http', 'llm']);
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

describe('connector traits', () => {
  it('the workflow-safe CONNECTOR_TRAITS table mirrors every connector flag', () => {
    const declared = Object.fromEntries(
      builtInConnectors
        .filter((connector) => connector.readsContext !== undefined || connector.unrenderedFields !== undefined)
        .map((connector) => [connector.type, { readsContext: connector.readsContext, unrenderedFields: connector.unrenderedFields }]),
    );
    const mirrored = Object.fromEntries(
      Object.entries(CONNECTOR_TRAITS).map(([type, traits]) => [type, { readsContext: traits.readsContext, unrenderedFields: traits.unrenderedFields }]),
    );
    expect(mirrored).toEqual(declared);
    expect(Object.keys(declared)).toContain('code');
  });
});

describe('node-type catalogue', () => {
  it('lists the workflow node types first, then the connectors, each with a description and a config JSON Schema', () => {
    const entries = nodeTypeCatalogue().entries();
    expect(entries.map((entry) => entry.type)).toEqual([...WORKFLOW_NODE_TYPES, 'code', 'http', 'llm']);
    for (const entry of entries) {
      expect(entry.description.length, entry.type).toBeGreaterThan(10);
      expect(entry.configJsonSchema.type, entry.type).toBe('object');
      expect(entry.canCompensate, entry.type).toBe(entry.kind === 'connector');
    }
  });

  it('carries each type\'s flags and schema facts', () => {
    const catalogue = nodeTypeCatalogue();
    expect(catalogue.get('code')).toMatchObject({ kind: 'connector', readsContext: true, unrenderedFields: ['source'] });
    expect(catalogue.get('approval')?.notInLoopBody).toMatch(/forEach body/);
    expect(catalogue.get('forEach')?.unrenderedFields).toEqual(['items', 'nodes', 'edges', 'output']);
    const http = catalogue.get('http')!.configJsonSchema as { required?: string[]; properties: Record<string, unknown> };
    expect(http.required).toEqual(['url']);
    expect(Object.keys(http.properties)).toContain('method');
    expect(catalogue.get('nope')).toBeUndefined();
  });

  it('refuses a connector named like a workflow node type', () => {
    expect(() => nodeTypeCatalogue(createConnectorRegistry([{ ...noop, type: 'delay' }]))).toThrow('Duplicate node type "delay"');
  });
});
