/**
 * The body of `POST /approvals/:id/decision`: JSON (`{ approve, comment?, values?, decidedBy? }`) or an
 * HTML form (`application/x-www-form-urlencoded`, where every field is a string and `values` is JSON text).
 */
import type { ValidationIssue } from '../../../common/exceptions/trellis-exception.js';

/** A parsed decision body. */
export interface DecisionBody {
  approve: boolean;
  comment: string | null;
  values: unknown;
  decidedBy: string | null;
}

/** Parses a decision body, or lists what is wrong with it (paths `approve`, `values`…). */
export function parseDecisionBody(body: unknown): { ok: true; body: DecisionBody } | { ok: false; issues: ValidationIssue[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '', message: 'must be a JSON object or a form with an "approve" field' }] };
  }
  const fields = body as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const approve = toBoolean(fields.approve);
  if (approve === undefined) issues.push({ path: 'approve', message: 'must be true or false' });
  const comment = optionalText(fields.comment, 'comment', issues);
  const decidedBy = optionalText(fields.decidedBy, 'decidedBy', issues);
  let values = fields.values;
  if (typeof values === 'string') {
    // An HTML form sends the values as JSON text; an empty field means none.
    try {
      values = values.trim() === '' ? undefined : (JSON.parse(values) as unknown);
    } catch {
      issues.push({ path: 'values', message: 'must be a JSON object' });
    }
  }
  if (issues.length > 0 || approve === undefined) return { ok: false, issues };
  return { ok: true, body: { approve, comment, values, decidedBy } };
}

function toBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

function optionalText(value: unknown, path: string, issues: ValidationIssue[]): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  issues.push({ path, message: 'must be a string' });
  return null;
}
