import type { ValidationIssue } from '../exceptions/trellis-exception.js';

/** The JSON body of every error of the REST routes (webhooks, decision links): `{ error: { code, message, issues? } }`. */
export interface RestErrorBody<C extends string = string> {
  error: { code: C; message: string; issues?: ValidationIssue[] };
}

/** Builds a {@link RestErrorBody}; `issues` is left out when absent. */
export function restErrorBody<C extends string>(code: C, message: string, issues?: ValidationIssue[]): RestErrorBody<C> {
  return { error: { code, message, ...(issues !== undefined && { issues }) } };
}
