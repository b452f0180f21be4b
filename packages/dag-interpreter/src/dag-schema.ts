/**
 * The DAG format, v1: the public contract for an agent's definition.
 *
 * This file checks the *shape* only. Graph rules (unique ids, known targets, cycles),
 * per-type config rules and expression syntax are checked by `validateDag`.
 */
import { z } from 'zod';

/** Node ids are usable as JSONata path segments (`nodes.fetch.output`). */
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A duration string: an integer or decimal followed by ms, s, m, h or d (`"500ms"`, `"1.5s"`, `"1h"`). */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

export const durationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'must be a duration such as "500ms", "10s", "5m", "1h" or "1d"');

/** Temporal's retry policy, with the SDK's field names and durations as strings. */
export const retryPolicySchema = z.strictObject({
  maximumAttempts: z.number().int().min(0).optional(),
  initialInterval: durationSchema.optional(),
  backoffCoefficient: z.number().min(1).optional(),
  maximumInterval: durationSchema.optional(),
  nonRetryableErrorTypes: z.array(z.string()).optional(),
});

/** What a node's failure does to the run: fail it (default), go on with `null`, or take `on: "error"` edges. */
export const ON_ERROR_MODES = ['fail', 'continue', 'route'] as const;
export type OnErrorMode = (typeof ON_ERROR_MODES)[number];

/**
 * A saga step: the connector action that undoes a node's effect. It runs only when the run fails,
 * for nodes that had succeeded, in reverse completion order. `config` may use templates
 * (`{{ nodes.book.output.body.id }}`).
 */
export const compensationSchema = z.strictObject({
  type: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
  retry: retryPolicySchema.optional(),
  timeout: durationSchema.optional(),
});

export const nodeSchema = z.strictObject({
  id: z.string().regex(NODE_ID_PATTERN, 'must match ^[A-Za-z_][A-Za-z0-9_]*$'),
  type: z.string().min(1),
  name: z.string().optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  retry: retryPolicySchema.optional(),
  /** Start-to-close timeout of one attempt of an activity node. */
  timeout: durationSchema.optional(),
  onError: z.enum(ON_ERROR_MODES).optional(),
  compensate: compensationSchema.optional(),
});

export const edgeSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  /** A bare JSONata expression; the edge is taken when it is truthy. */
  condition: z.string().optional(),
  /**
   * `"success"` (default): taken when the source succeeded (or failed with `onError: "continue"`).
   * `"error"`: taken when the source failed with `onError: "route"`.
   */
  on: z.enum(['success', 'error']).optional(),
});

export const dagSchema = z.strictObject({
  /** A JSON Schema (draft 2020-12 or 07) for the run's input. */
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema).default([]),
  /** A JSONata expression for the run's output. */
  output: z.string().optional(),
});

export type CompensationSpec = z.infer<typeof compensationSchema>;
export type RetryPolicySpec = z.infer<typeof retryPolicySchema>;
export type NodeSpec = z.infer<typeof nodeSchema>;
export type EdgeSpec = z.infer<typeof edgeSchema>;
/** A DAG after shape parsing (defaults applied). */
export type Dag = z.infer<typeof dagSchema>;

