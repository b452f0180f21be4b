/**
 * The DAG format, v1: the public contract for an agent's definition.
 *
 * This file checks the *shape* only. Graph rules (unique ids, known targets, cycles),
 * per-type config rules and expression syntax are checked by `validateDag`.
 */
import { z } from 'zod';

/** Node ids are usable as JSONata path segments (`nodes.fetch.output`). */
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

import { DURATION_PATTERN } from './duration.js';

export { DURATION_PATTERN };

export const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'must be a duration such as "500ms", "10s", "5m", "1h" or "1d"')
  .describe('A duration: a number followed by ms, s, m, h or d ("500ms", "1.5s", "1h").');

/** Temporal's retry policy, with the SDK's field names and durations as strings. */
export const retryPolicySchema = z
  .strictObject({
    maximumAttempts: z.number().int().min(0).optional().describe('Attempts in all, the first included (default 3); 0 means unlimited.'),
    initialInterval: durationSchema.optional().describe('Wait before the first retry.'),
    backoffCoefficient: z.number().min(1).optional().describe('Each wait is the previous one times this.'),
    maximumInterval: durationSchema.optional().describe('Longest wait between attempts.'),
    nonRetryableErrorTypes: z.array(z.string()).optional().describe('Error types that fail the node without a retry.'),
  })
  .describe("Temporal's retry policy for the node's activity.");

/** What a node's failure does to the run: fail it (default), go on with `null`, or take `on: "error"` edges. */
export const ON_ERROR_MODES = ['fail', 'continue', 'route'] as const;
export type OnErrorMode = (typeof ON_ERROR_MODES)[number];

/**
 * A saga step: the connector action that undoes a node's effect. It runs only when the run fails,
 * for nodes that had succeeded, in reverse completion order. `config` may use templates
 * (`{{ nodes.book.output.body.id }}`).
 */
export const compensationSchema = z
  .strictObject({
    type: z.string().min(1),
    config: z.record(z.string(), z.unknown()).default({}).describe('The undo action\'s config; templates may read the node\'s output.'),
    retry: retryPolicySchema.optional(),
    timeout: durationSchema.optional().describe('Start-to-close timeout of one attempt.'),
  })
  .describe('The connector action that undoes this node\'s effect when the run fails after the node succeeded.');

export const nodeSchema = z.strictObject({
  id: z
    .string()
    .regex(NODE_ID_PATTERN, 'must match ^[A-Za-z_][A-Za-z0-9_]*$')
    .describe('Unique within the DAG; expressions read the node\'s result as `nodes.<id>.output`.'),
  type: z.string().min(1).describe('The node type.'),
  name: z.string().optional().describe('A display name.'),
  config: z.record(z.string(), z.unknown()).default({}).describe('The node type\'s config; string fields may hold `{{ expression }}` templates.'),
  retry: retryPolicySchema.optional(),
  timeout: durationSchema.optional().describe('Start-to-close timeout of one attempt of an activity node (default 5m).'),
  heartbeatTimeout: durationSchema
    .optional()
    .describe('An attempt of an activity node that has not heartbeated for this long is retried, e.g. after its worker died (default 15s).'),
  onError: z
    .enum(ON_ERROR_MODES)
    .optional()
    .describe('On failure: "fail" the run (default), "continue" with a null output, or "route" along `on: "error"` edges.'),
  compensate: compensationSchema.optional(),
});

export const edgeSchema = z.strictObject({
  from: z.string().describe('Id of the source node.'),
  to: z.string().describe('Id of the target node.'),
  condition: z.string().optional().describe('A bare JSONata expression; the edge is taken when it is truthy.'),
  on: z
    .enum(['success', 'error'])
    .optional()
    .describe('"success" (default): taken when the source succeeded or failed with `onError: "continue"`; "error": when it failed with `onError: "route"`.'),
});

/**
 * The nodes and edges of a DAG nested in a node's config (a `forEach` body). The shape check leaves them
 * to the owning type's `check`, which validates them as a DAG; the published JSON Schema
 * (`dagJsonSchema`) recognises these two schema objects and describes them as DAG nodes and edges.
 */
export const nestedNodesSchema = z.array(z.unknown());
/** See {@link nestedNodesSchema}. */
export const nestedEdgesSchema = z.array(z.unknown());

export const dagSchema = z.strictObject({
  inputSchema: z.record(z.string(), z.unknown()).optional().describe("A JSON Schema (draft 2020-12 or 07) for the run's input."),
  nodes: z.array(nodeSchema).describe('The nodes; those without incoming edges start the run.'),
  edges: z.array(edgeSchema).default([]).describe('Which node runs after which, and when.'),
  output: z.string().optional().describe("A bare JSONata expression for the run's output, over `{ input, nodes }`."),
});

export type CompensationSpec = z.infer<typeof compensationSchema>;
export type RetryPolicySpec = z.infer<typeof retryPolicySchema>;
export type NodeSpec = z.infer<typeof nodeSchema>;
export type EdgeSpec = z.infer<typeof edgeSchema>;
/** A DAG after shape parsing (defaults applied). */
export type Dag = z.infer<typeof dagSchema>;

