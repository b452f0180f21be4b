import type { ErrorSchema } from '@rjsf/utils';

/** A validation issue as `validateDag` reports it. */
export interface DagIssue {
  path: string;
  message: string;
}

/**
 * The issues under `prefix` (`nodes[2].config`) as an rjsf error schema, so each shows on the form field its
 * path names (`nodes[2].config.url` on the `url` field, `…headers.Accept` under `headers`); issues of the
 * prefix itself show on the form as a whole.
 */
export function formErrorsOf(issues: readonly DagIssue[], prefix: string): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    if (issue.path !== prefix && !issue.path.startsWith(`${prefix}.`) && !issue.path.startsWith(`${prefix}[`)) continue;
    const segments = issue.path.slice(prefix.length).match(/[^.[\]]+/g) ?? [];
    let at = root;
    for (const segment of segments) at = (at[segment] ??= {}) as Record<string, unknown>;
    ((at.__errors ??= []) as string[]).push(issue.message);
  }
  return root as ErrorSchema;
}

/** The issues whose path is under `prefix` or is `prefix` itself. */
export function issuesUnder(issues: readonly DagIssue[], prefix: string): DagIssue[] {
  return issues.filter((issue) => issue.path === prefix || issue.path.startsWith(`${prefix}.`) || issue.path.startsWith(`${prefix}[`));
}
