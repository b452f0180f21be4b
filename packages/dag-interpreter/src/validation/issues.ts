/**
 * Validation issues, their paths and the error that carries them. Workflow-safe (type-only zod import).
 */
import type { z } from 'zod';

/** One problem found in a DAG, a node config or a run input. */
export interface ValidationIssue {
  /**
   * Where the problem is, in JavaScript accessor style: `nodes[2].config.url`, `edges[0].to`,
   * `inputSchema.properties.x.type`, `input.threshold`. `""` is the document itself.
   */
  path: string;
  message: string;
}

/** Segments of a path: object keys and array indexes. */
export type PathSegment = string | number;

/** Most issues quoted in a {@link DagValidationError}'s message; all of them stay in `issues`. */
const MAX_ISSUES_IN_MESSAGE = 5;

/** Thrown when a DAG or a rendered node config is invalid; `issues` lists every problem found. */
export class DagValidationError extends Error {
  override readonly name = 'DagValidationError';
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], summary = 'invalid DAG') {
    const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map(describeIssue).join('; ');
    const more = issues.length > MAX_ISSUES_IN_MESSAGE ? ` (and ${issues.length - MAX_ISSUES_IN_MESSAGE} more)` : '';
    super(`${summary}: ${shown}${more}`);
    this.issues = issues;
  }
}

function describeIssue(issue: ValidationIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats path segments as `nodes[2].config.url`. Keys that are not identifiers are quoted
 * (`headers["content-type"]`); an empty list gives `""`.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** Joins a formatted prefix and a formatted relative path (`nodes[0].config` + `url`). */
export function joinPath(prefix: string, relative: string): string {
  if (prefix === '') return relative;
  if (relative === '' || relative.startsWith('[')) return prefix + relative;
  return `${prefix}.${relative}`;
}

/** The value at `segments` inside `root`, or `undefined` when the path does not exist. */
export function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/**
 * Converts zod issues to validation issues under `prefix` (segments prepended to each issue's path).
 *
 * `input` is the value that was parsed, used to word messages: a missing field reads `is required`,
 * and an unknown key of a strict object is reported at its own path as `unknown field "key"`.
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: readonly PathSegment[] = []): ValidationIssue[] {
  const converted: ValidationIssue[] = [];
  for (const issue of issues) {
    const segments = [...prefix, ...issue.path.map(toPathSegment)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) converted.push({ path: formatPath([...segments, key]), message: `unknown field "${key}"` });
    } else if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      converted.push({ path: formatPath(segments), message: `is required (${issue.expected})` });
    } else {
      converted.push({ path: formatPath(segments), message: issue.message });
    }
  }
  return converted;
}

function toPathSegment(key: PropertyKey): PathSegment {
  return typeof key === 'symbol' ? String(key) : key;
}
