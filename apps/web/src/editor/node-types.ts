import { useQuery } from 'urql';
import { graphql } from '../api/graphql';
import { messageOf } from '../api/error-message';

/** One entry of the API's node-type catalogue (`nodeTypes`). */
export interface NodeTypeInfo {
  type: string;
  kind: 'WORKFLOW' | 'CONNECTOR';
  description: string;
  configJsonSchema: Record<string, unknown>;
  canCompensate: boolean;
}

const CATALOGUE = graphql(`
  query EditorCatalogue {
    nodeTypes { type kind description configJsonSchema canCompensate }
    dagJsonSchema
  }
`);

/** The node types and the DAG JSON Schema of the deployment, fetched once per session (they change only with a deploy). */
export function useNodeCatalogue(): { nodeTypes: NodeTypeInfo[]; dagJsonSchema: Record<string, unknown> | null; error: string | null } {
  const [{ data, error }] = useQuery({ query: CATALOGUE, requestPolicy: 'cache-first' });
  // JSON scalars arrive untyped: the catalogue's schemas are JSON Schema objects.
  return {
    nodeTypes: (data?.nodeTypes ?? []) as NodeTypeInfo[],
    dagJsonSchema: (data?.dagJsonSchema as Record<string, unknown> | undefined) ?? null,
    error: error ? messageOf(error) : null };
}

/**
 * A config schema ready for a form: without `$schema`, since the browser's ajv compiles draft-07 and the
 * catalogue's schemas use only what both drafts share.
 */
export function formSchemaOf(entry: NodeTypeInfo): Record<string, unknown> {
  const { $schema: _draft, ...schema } = entry.configJsonSchema;
  return schema;
}
