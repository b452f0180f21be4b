import { registerEnumType } from '@nestjs/graphql';
import type { Role } from '../permissions.js';

/**
 * The workspace roles as the object `registerEnumType` needs, each value its own name: the same strings as
 * {@link Role} and the database's `WorkspaceRole`, so a role read from a row or a principal is passed as is.
 */
export const WorkspaceRole = {
  VIEWER: 'VIEWER',
  OPERATOR: 'OPERATOR',
  EDITOR: 'EDITOR',
  ADMIN: 'ADMIN',
  OWNER: 'OWNER',
} as const satisfies { readonly [R in Role]: R };

/** A workspace role; the GraphQL enum `WorkspaceRole`. */
export type WorkspaceRole = Role;

// The descriptions follow ROLE_GRANTS in ../permissions.ts. Each names the role below it, since the schema
// lists the values by name rather than in ladder order.
registerEnumType(WorkspaceRole, {
  name: 'WorkspaceRole',
  description:
    "A member's or an API key's role in a workspace. The roles form a ladder, VIEWER < OPERATOR < EDITOR < ADMIN < " +
    'OWNER: each may do everything the roles below it may.',
  valuesMap: {
    VIEWER: { description: 'Reads agents and their versions, runs and their events, schedules and approvals.' },
    OPERATOR: {
      description: 'What VIEWER may, and starts, cancels and retries runs, decides approvals and triggers schedules now.',
    },
    EDITOR: {
      description:
        'What OPERATOR may, and creates agents and publishes their versions, manages schedules and rotates webhook secrets.',
    },
    ADMIN: {
      description: 'What EDITOR may, and manages members below OWNER, creates and revokes API keys and reads the audit log.',
    },
    OWNER: {
      description: 'What ADMIN may, and renames or deletes the workspace and makes members owners or demotes owners.',
    },
  },
});
