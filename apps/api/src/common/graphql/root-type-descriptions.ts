import type { GraphQLSchema } from 'graphql';

/**
 * Nest builds the root operation types itself and offers no option to describe them (only their fields),
 * so their descriptions are set on the built schema. No runtime import of `graphql`: only existing
 * objects are changed, whichever copy of the package built them.
 */
const ROOT_TYPE_DESCRIPTIONS = {
  query: "The API's read operations.",
  mutation: "The API's write operations.",
  subscription: "The API's live streams, over the graphql-ws protocol on the same path.",
} as const;

/**
 * Describes the schema's `Query`, `Mutation` and `Subscription` types, in place.
 * @returns `schema` itself, for use as the GraphQL module's `transformSchema`.
 */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const roots = {
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
  };
  for (const operation of Object.keys(roots) as (keyof typeof roots)[]) {
    const type = roots[operation];
    if (type) type.description = ROOT_TYPE_DESCRIPTIONS[operation];
  }
  return schema;
}
