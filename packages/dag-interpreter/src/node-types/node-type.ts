/**
 * What a workflow node type is: everything the validator, the interpreter and the catalogue need to know
 * about it, declared in one place. Workflow-safe (zod only); checks that need ajv get it through
 * {@link NodeCheckContext}.
 */
import type { ZodType } from 'zod';
import type { NodeView } from '../validation/dag-views.js';
import type { PathSegment, ValidationIssue } from '../validation/issues.js';

/** What a node type's own static checks may use besides the node. */
export interface NodeCheckContext {
  /** Formats `nodes[i].config.<segments…>` for this node (paths inside nested bodies included). */
  at(...segments: PathSegment[]): string;
  /** Checks `config` against node type `type`'s schema (templated strings tolerated), or `[]` for an unknown type. */
  checkConfigOf(type: string, config: unknown, segments: readonly PathSegment[]): ValidationIssue[];
  /** Checks a JSON Schema document found at `segments` (ajv: draft 2020-12, or draft-07 when declared). */
  checkJsonSchema(schema: Record<string, unknown>, segments: readonly PathSegment[]): ValidationIssue[];
  /** Syntax of every `{{ }}` template inside `value`, reported at `segments` + the string's own path. */
  checkTemplates(value: unknown, segments: readonly PathSegment[]): ValidationIssue[];
  /** Syntax of a bare JSONata expression at `segments`. */
  checkExpression(source: string, segments: readonly PathSegment[]): ValidationIssue[];
  /** Validates an inline DAG (a loop body); its issues' paths are relative to the body. */
  validateNested(raw: unknown): ValidationIssue[];
  /** Why `type` cannot run inside a `forEach` body, or `undefined` when it can (unknown types included). */
  loopBodyRestriction(type: string): string | undefined;
}

/**
 * A node type interpreted by the workflow itself rather than by a connector activity.
 *
 * @typeParam S - the config schema; its output type is what the performer receives.
 */
export interface NodeTypeDefinition<S extends ZodType = ZodType> {
  /** The node `type` in a DAG. */
  type: string;
  /** One sentence for people, editors and LLMs listing the node types. */
  description: string;
  /** Validates (and defaults) the node's config, statically and again after rendering. */
  configSchema: S;
  /**
   * Config fields not rendered as `{{ }}` templates before the node runs: they hold expressions or
   * documents that the node evaluates itself, later or in another scope.
   */
  unrenderedFields: readonly string[];
  /** Why the type cannot run inside a `forEach` body (each item is not a run of its own), or `null`. */
  notInLoopBody: string | null;
  /** Static checks beyond the config schema (nested documents, JSON Schemas, verbatim expressions). */
  check?(node: NodeView & { config: Record<string, unknown> }, context: NodeCheckContext): ValidationIssue[];
}

/** Declares a workflow node type; the argument must be complete. Returns it unchanged, its schema type kept. */
export function defineNodeType<S extends ZodType>(definition: NodeTypeDefinition<S>): NodeTypeDefinition<S> {
  return definition;
}
