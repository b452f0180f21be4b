import type { ValidationIssue } from '../../../../common/exceptions/trellis-exception.js';
import { passwordIssues } from '../../credentials/password-hasher.js';

/**
 * Longest accepted email address in characters: 254, the longest address that fits SMTP's 256-octet
 * forward path (RFC 5321 §4.5.3.1.3) with its angle brackets.
 */
export const MAX_EMAIL_LENGTH = 254;
/** Longest accepted workspace name in characters. */
export const MAX_WORKSPACE_NAME_LENGTH = 100;

/**
 * Something that looks like an address: a local part, `@`, and a domain with at least one dot, no
 * whitespace anywhere. Deliverability is not checked; the point is to catch a password or a name typed in
 * the wrong field.
 */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/**
 * The problems of a new account's email address and password, with the paths `email` and `password`:
 * the address must look like one (see `EMAIL_PATTERN`) and be at most {@link MAX_EMAIL_LENGTH}
 * characters once trimmed; the password must pass `passwordIssues`.
 *
 * @returns the issues, empty when both are acceptable.
 */
export function accountIssues(email: string, password: string): ValidationIssue[] {
  const issues = emailIssues(email, 'email');
  for (const message of passwordIssues(password)) issues.push({ path: 'password', message });
  return issues;
}

/** The problems of an email address (path `path`), as {@link accountIssues} checks it. */
export function emailIssues(email: string, path: string): ValidationIssue[] {
  const trimmed = email.trim();
  if (trimmed.length > MAX_EMAIL_LENGTH) return [{ path, message: `must be at most ${MAX_EMAIL_LENGTH} characters long` }];
  if (!EMAIL_PATTERN.test(trimmed)) return [{ path, message: 'must be an email address such as name@example.com' }];
  return [];
}

/** The problems of a workspace name (path `path`): 1 to {@link MAX_WORKSPACE_NAME_LENGTH} characters once trimmed. */
export function workspaceNameIssues(name: string, path: string): ValidationIssue[] {
  const length = name.trim().length;
  return length === 0 || length > MAX_WORKSPACE_NAME_LENGTH
    ? [{ path, message: `must be between 1 and ${MAX_WORKSPACE_NAME_LENGTH} characters` }]
    : [];
}
