import type { CombinedError } from 'urql';

/** What to show for a failed operation: the API's own message (its first GraphQL error), else the transport's. */
export function messageOf(error: CombinedError): string {
  return error.graphQLErrors[0]?.message ?? error.message;
}
