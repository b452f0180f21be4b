import type { ServerResponse } from 'node:http';
import type { ValidationIssue } from '../exceptions/trellis-exception.js';

/** The JSON body of every error of the REST routes (webhooks, decision links): `{ error: { code, message, issues? } }`. */
export interface RestErrorBody<C extends string = string> {
  error: { code: C; message: string; issues?: ValidationIssue[] };
}

/** Builds a {@link RestErrorBody}; `issues` is left out when absent. */
export function restErrorBody<C extends string>(code: C, message: string, issues?: ValidationIssue[]): RestErrorBody<C> {
  return { error: { code, message, ...(issues !== undefined && { issues }) } };
}

/** Writes a JSON response with `status` on a raw Node response (Express's response extends it). */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(text));
  response.end(text);
}
