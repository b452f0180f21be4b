/**
 * The `TrellisWorkspace` search attribute: every run's workflow (and its loop and sub-flow children) carries
 * its workspace id, so operators can filter runs by workspace in the Temporal UI
 * (`TrellisWorkspace = "<id>"`). Workflow-safe: used by the workflow when it starts children, and by the API.
 */
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';

/** Name of the search attribute; a `Keyword`, registered on the Temporal namespace before use. */
export const WORKSPACE_SEARCH_ATTRIBUTE = 'TrellisWorkspace';

/** The typed key of {@link WORKSPACE_SEARCH_ATTRIBUTE}. */
export const WORKSPACE_SEARCH_ATTRIBUTE_KEY = defineSearchAttributeKey(WORKSPACE_SEARCH_ATTRIBUTE, SearchAttributeType.KEYWORD);

/**
 * Start options carrying the workspace as {@link WORKSPACE_SEARCH_ATTRIBUTE}: `{ typedSearchAttributes }`,
 * or nothing for a run without a workspace (started before workspaces existed).
 */
export function workspaceSearchAttributes(workspaceId: string | undefined): { typedSearchAttributes?: SearchAttributePair[] } {
  return workspaceId === undefined ? {} : { typedSearchAttributes: [{ key: WORKSPACE_SEARCH_ATTRIBUTE_KEY, value: workspaceId }] };
}
