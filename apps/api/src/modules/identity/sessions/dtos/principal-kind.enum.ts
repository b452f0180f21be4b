import { registerEnumType } from '@nestjs/graphql';
import type { Principal } from '../../access/principal.js';

/** The kinds of {@link Principal} as the object `registerEnumType` needs, each value its own name. */
export const PrincipalKind = {
  USER: 'USER',
  API_KEY: 'API_KEY',
} as const satisfies { readonly [K in Principal['kind']]: K };

/** What a request is authenticated as; the GraphQL enum `PrincipalKind`. */
export type PrincipalKind = Principal['kind'];

registerEnumType(PrincipalKind, {
  name: 'PrincipalKind',
  description: 'What the caller is authenticated as.',
  valuesMap: {
    USER: { description: 'A person, signed in with the session cookie.' },
    API_KEY: { description: "A workspace's API key, sent as `Authorization: Bearer <key>`." },
  },
});
