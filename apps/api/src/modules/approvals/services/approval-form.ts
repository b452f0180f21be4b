/**
 * The approver's form fields: normalised, then checked against the approval's `form` (a JSON Schema).
 */
import { validateRunInput } from '@trellis/dag-interpreter';
import type { ValidationIssue } from '../../../common/exceptions/trellis-exception.js';

/** Form fields as stored and signalled: an object, or null for an approval without a form. */
export type ApprovalValues = Record<string, unknown> | null;

/**
 * What a decision stores as `values`: for an approval with a `form`, the given object or `{}` when none
 * was sent (so required fields are reported missing); without a form, whatever was sent (checked by
 * {@link checkApprovalValues}) or null.
 */
export function normaliseApprovalValues(form: unknown, values: unknown): unknown {
  if (values === undefined || values === null) return isObject(form) ? {} : null;
  return values;
}

/**
 * Checks normalised `values` against `form`, with the ajv setup runs use for `inputSchema` (draft
 * 2020-12 unless `$schema` says draft-07, every problem reported).
 *
 * @param form - the approval's stored `form` (a JSON Schema object), or null
 * @returns problems with paths under `values` (`values.amount: is required`), empty when valid. Values
 *   sent for an approval without a form are one problem at `values`; an invalid stored `form` is reported
 *   under `form` (the approval can then not be decided with values).
 */
export function checkApprovalValues(form: unknown, values: unknown): ValidationIssue[] {
  if (!isObject(form)) {
    return values === null ? [] : [{ path: 'values', message: 'is not allowed: this approval has no form' }];
  }
  if (!isObject(values)) return [{ path: 'values', message: 'must be an object' }];
  // validateRunInput roots its paths at `input` (or `inputSchema` for a broken schema): re-root them.
  return validateRunInput(form, values).map((issue) => ({ ...issue, path: reroot(issue.path) }));
}

function reroot(path: string): string {
  if (path.startsWith('inputSchema')) return `form${path.slice('inputSchema'.length)}`;
  if (path.startsWith('input')) return `values${path.slice('input'.length)}`;
  return path;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
