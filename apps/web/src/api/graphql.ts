import { initGraphQLTada } from 'gql.tada';
import type { introspection } from '../graphql-env.d.ts';

/**
 * Typed GraphQL documents: `graphql(\`query …\`)` checks the operation against the API's schema
 * (`apps/api/schema.graphql`, from which the build generates `graphql-env.d.ts`) and types its result
 * and variables, so urql's hooks return data of the shape the operation asks for.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; JSON: unknown };
}>();

export type { ResultOf, VariablesOf } from 'gql.tada';
