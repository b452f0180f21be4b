import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { INTERNAL_SERVER_ERROR } from './graphql-exception.filter.js';

/**
 * An Apollo plugin that writes one log line per error of a GraphQL request: `warn` for errors the caller
 * caused (they carry a code), `error` with the underlying cause and stack for unexpected ones.
 */
export function createErrorLoggingPlugin(logger: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            const code = (error.extensions?.code as string | undefined) ?? INTERNAL_SERVER_ERROR;
            const fields = { operationName, path: error.path?.join('.'), code };
            if (code === INTERNAL_SERVER_ERROR) {
              logger.error({ ...fields, err: rootCause(error) }, 'GraphQL request failed');
            } else {
              logger.warn({ ...fields, message: error.message }, 'GraphQL request rejected');
            }
          }
        },
      };
    },
  };
}

/** graphql-js and the exception filter each wrap the thrown error; log the innermost one. */
function rootCause(error: GraphQLError): Error {
  let current: Error = error;
  while ('originalError' in current && current.originalError instanceof Error) current = current.originalError;
  return current;
}
