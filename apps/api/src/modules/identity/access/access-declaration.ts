import { SetMetadata } from '@nestjs/common';
import type { Permission } from '../permissions.js';

/** Reflect-metadata key of a handler's {@link AccessDeclaration}. */
export const ACCESS_DECLARATION = 'trellis:access';

/**
 * Who may call a GraphQL field or an HTTP route. Every root field and route declares exactly one; the
 * access guard denies a handler that declares none.
 * - `public`: anyone, with a reason (the route checks something else, such as a signature, or is the way in).
 * - `signedIn`: any authenticated principal, with or without a workspace (`me`, `logout`, `createWorkspace`).
 * - `permission`: a principal whose role in the request's workspace has the permission.
 */
export type AccessDeclaration =
  | { kind: 'public'; reason: string }
  | { kind: 'signedIn' }
  | { kind: 'permission'; permission: Permission };

/** Marks a handler as callable without credentials; `reason` says what protects it instead. */
export const Public = (reason: string) => SetMetadata(ACCESS_DECLARATION, { kind: 'public', reason } satisfies AccessDeclaration);

/** Marks a handler as callable by any authenticated principal, whatever its workspace and role. */
export const SignedIn = () => SetMetadata(ACCESS_DECLARATION, { kind: 'signedIn' } satisfies AccessDeclaration);

/** Marks a handler as needing `permission` in the request's workspace. */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(ACCESS_DECLARATION, { kind: 'permission', permission } satisfies AccessDeclaration);

/** Reflect-metadata key of {@link AcceptsOrigin}. */
export const ACCEPTED_ORIGIN = 'trellis:accepted-origin';

/** Another site whose browser pages a handler accepts session requests from: `temporalUi` is `TRELLIS_TEMPORAL_UI_URL`. */
export type AcceptedOrigin = 'temporalUi';

/**
 * Lets session (cookie) requests from `origin` pass the cross-site check (`assertSameOrigin`) on this handler,
 * besides Trellis's own origin. For the codec endpoints the Temporal UI calls.
 */
export const AcceptsOrigin = (origin: AcceptedOrigin) => SetMetadata(ACCEPTED_ORIGIN, origin);
