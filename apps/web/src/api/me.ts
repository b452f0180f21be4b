import { useQuery } from 'urql';
import { graphql } from './graphql';

/** Who is signed in, with their workspaces; `UNAUTHENTICATED` when nobody is. */
export const ME_QUERY = graphql(`
  query Me {
    me {
      principalKind
      user { id email }
      workspaces { role workspace { id name } }
    }
  }
`);

export interface Membership {
  role: 'VIEWER' | 'OPERATOR' | 'EDITOR' | 'ADMIN' | 'OWNER';
  workspace: { id: string; name: string };
}

export interface Me {
  principalKind: 'USER' | 'API_KEY';
  user: { id: string; email: string } | null;
  workspaces: Membership[];
}

/** The signed-in caller: `me` is null while loading and when nobody is signed in (`signedOut` then says so). */
export function useMe(): { me: Me | null; fetching: boolean; signedOut: boolean; refetch: () => void } {
  const [result, refetch] = useQuery({ query: ME_QUERY });
  const signedOut = result.error?.graphQLErrors.some((error) => error.extensions?.code === 'UNAUTHENTICATED') ?? false;
  return { me: result.data?.me ?? null, fetching: result.fetching, signedOut, refetch: () => refetch({ requestPolicy: 'network-only' }) };
}
