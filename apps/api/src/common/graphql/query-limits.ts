/**
 * Bounds on a GraphQL operation, enforced before it runs: depth and aliases while validating (the
 * `@escape.tech/graphql-armor` rules), tokens while parsing (graphql-js' `maxTokens`), and a cost that
 * counts list sizes once the variables are known (`graphql-query-complexity`). Every violation is
 * `BAD_USER_INPUT` with `extensions.limit` naming it (`depth`, `aliases`, `tokens`, `cost`) and
 * `extensions.maximum`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { createRequire } from 'node:module';
import type { GraphQLError as GraphQLErrorType, GraphQLFormattedError, ValidationRule } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import type { ApiLimits } from '../../infrastructure/config/api-limits.js';

// Nest and Apollo load graphql's CommonJS build; an ES import of graphql (or graphql-query-complexity's ES
// build) would get its `.mjs` copy, whose type checks refuse the schema's types as "from another realm".
const require = createRequire(import.meta.url);
const { GraphQLError, getNullableType, isListType } = require('graphql') as typeof import('graphql');
const { getComplexity, simpleEstimator } = require('graphql-query-complexity') as typeof import('graphql-query-complexity');

/** What a list field without a `first` argument is assumed to return at most (the largest page of this API). */
export const UNBOUNDED_LIST_SIZE = 20;

type LimitName = 'depth' | 'aliases' | 'tokens' | 'cost';

function limitError(limit: LimitName, maximum: number, message: string): GraphQLErrorType {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', limit, maximum, http: { status: 400 } } });
}

/** The validation rules for depth and aliases (armor's messages state the limit and what was found). */
export function queryLimitRules(limits: Pick<ApiLimits, 'graphqlMaxDepth' | 'graphqlMaxAliases'>): ValidationRule[] {
  const reporting = (limit: LimitName, maximum: number) => ({
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: { reportError(error: GraphQLErrorType): void } | null, error: GraphQLErrorType) =>
        context?.reportError(limitError(limit, maximum, error.message.replace(/^Syntax Error: /, ''))),
    ],
  });
  return [
    maxDepthRule({ n: limits.graphqlMaxDepth, ...reporting('depth', limits.graphqlMaxDepth) }) as unknown as ValidationRule,
    maxAliasesRule({ n: limits.graphqlMaxAliases, ...reporting('aliases', limits.graphqlMaxAliases) }) as unknown as ValidationRule,
  ];
}

/**
 * A field with a `first` argument (a list, or a connection) costs `first` times what it selects; a connection's
 * own lists (`edges`, `nodes`) are that page, so they multiply by nothing more; any other list is assumed to
 * hold {@link UNBOUNDED_LIST_SIZE} items.
 */
const listSizeEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const children = Math.max(1, childComplexity);
  if (typeof args.first === 'number' && args.first > 0) return args.first * children;
  if (!isListType(getNullableType(field.type))) return undefined;
  return type.name.endsWith('Connection') ? children : UNBOUNDED_LIST_SIZE * children;
};

/** An Apollo plugin refusing operations whose cost (see {@link ApiLimits.graphqlMaxCost}) is over `maximum`. */
export function queryCostPlugin(maximum: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const cost = getComplexity({
            schema,
            query: document,
            variables: request.variables ?? {},
            operationName: request.operationName ?? undefined,
            estimators: [listSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
          if (cost > maximum) {
            throw limitError('cost', maximum, `Query cost limit of ${maximum} exceeded, found ${cost} (lists count their page size)`);
          }
        },
      };
    },
  };
}

/**
 * Apollo's `formatError`: gives the limits' errors the code `BAD_USER_INPUT` (Apollo files validation and
 * parse errors under its own codes), including graphql-js' token limit, which carries no extensions.
 */
export function formatLimitErrors(maxTokens: number) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const extensions = formatted.extensions ?? {};
    if (typeof extensions.limit === 'string') return { ...formatted, extensions: { ...extensions, code: 'BAD_USER_INPUT' } };
    if (/Document contains more th(?:an|at) \d+ tokens/.test(formatted.message)) {
      return {
        ...formatted,
        message: `Query token limit of ${maxTokens} exceeded`,
        extensions: { ...extensions, code: 'BAD_USER_INPUT', limit: 'tokens', maximum: maxTokens },
      };
    }
    return formatted;
  };
}
