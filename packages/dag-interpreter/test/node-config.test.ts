import { describe, expect, it } from 'vitest';
import { DagValidationError, parseNodeConfig, workflowNodeTypes } from '@trellis/dag-interpreter';

describe('workflow node config schemas', () => {
  it('applies the approval default onTimeout', () => {
    expect(parseNodeConfig(workflowNodeTypes.approval.configSchema, { message: 'Publish?' }, 'config')).toEqual({
      message: 'Publish?',
      onTimeout: 'reject',
    });
  });

  it('accepts null as a set value but requires the key', () => {
    expect(parseNodeConfig(workflowNodeTypes.set.configSchema, { value: null }, 'config')).toEqual({ value: null });
    expect(() => parseNodeConfig(workflowNodeTypes.set.configSchema, {}, 'config')).toThrow(/config\.value: is required/);
  });

  it('parses a delay duration', () => {
    expect(parseNodeConfig(workflowNodeTypes.delay.configSchema, { duration: '5m' }, 'config')).toEqual({ duration: '5m' });
  });
});

describe('parseNodeConfig', () => {
  it('throws DagValidationError with every issue under the given path', () => {
    let error: unknown;
    try {
      parseNodeConfig(workflowNodeTypes.approval.configSchema, { message: 42, timeout: 'later', extra: 1 }, 'nodes[2].config');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DagValidationError);
    const { issues, message } = error as DagValidationError;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'nodes[2].config.extra', message: 'unknown field "extra"' },
        { path: 'nodes[2].config.message', message: expect.stringMatching(/expected string, received number/) },
        { path: 'nodes[2].config.timeout', message: 'must be a duration such as "500ms", "10s", "5m", "1h" or "1d"' },
      ]),
    );
    expect(issues).toHaveLength(3);
    expect(message).toMatch(/^invalid node config: nodes\[2\]\.config\./);
  });

  it('reports a config that is not an object at the path itself', () => {
    expect(() => parseNodeConfig(workflowNodeTypes.delay.configSchema, 'soon', 'nodes[0].config')).toThrow(
      /^invalid node config: nodes\[0\]\.config: Invalid input: expected object, received string$/,
    );
  });
});
