import type { DagIssue } from './issue-errors';

/** Validation issues as a list, each with its path. */
export function IssueList({ label, issues }: { label: string; issues: readonly DagIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="error" aria-label={label}>
      {issues.map((issue) => (
        <li key={`${issue.path}:${issue.message}`}>
          <code>{issue.path}</code> {issue.message}
        </li>
      ))}
    </ul>
  );
}
