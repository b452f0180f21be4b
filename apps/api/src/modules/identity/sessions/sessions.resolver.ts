import type { ServerResponse } from 'node:http';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { Public, SignedIn } from '../access/access-declaration.js';
import type { GraphqlContext } from '../access/graphql-context.js';
import { currentPrincipal } from '../access/current-caller.js';
import { MeType } from './dtos/me.type.js';
import { LoginService } from './services/login.service.js';
import { MeService } from './services/me.service.js';
import { OwnerSetupService } from './services/owner-setup.service.js';
import { httpResponseOf, SessionCookieService } from './services/session-cookie.service.js';
import { SessionStoreService } from './services/session-store.service.js';
import { Audited } from '../../audit/audited.decorator.js';

/** First-run setup, signing in and out with the session cookie, and `me`. */
@Resolver(() => MeType)
export class SessionsResolver {
  constructor(
    private readonly setup: OwnerSetupService,
    private readonly logins: LoginService,
    private readonly sessions: SessionStoreService,
    private readonly cookies: SessionCookieService,
    private readonly meService: MeService,
  ) {}

  @Public('the one-time setup token is the proof')
  @Mutation(() => MeType, {
    description:
      "Creates the first user with the one-time setup token the API logs while it has no user, makes it OWNER of the " +
      'first workspace (renamed to `workspaceName`) and signs it in with the session cookie. BAD_USER_INPUT for an ' +
      'invalid email, password or workspace name; UNAUTHENTICATED for an unknown token; CONFLICT once a user exists.',
  })
  async setupOwner(
    @Args('token', { description: "A setup token from the API's log." }) token: string,
    @Args('email', { description: "The owner's email address, used to sign in." }) email: string,
    @Args('password', { description: "The owner's password: at least 12 characters." }) password: string,
    @Args('workspaceName', { description: 'The name to give the first workspace.' }) workspaceName: string,
    @Context() context: GraphqlContext,
  ): Promise<MeType> {
    const response = requireHttpResponse(context);
    const session = await this.setup.setupOwner({ token, email, password, workspaceName });
    this.cookies.set(response, session.token);
    return this.meService.ofUser(session.userId);
  }

  @Public('the way in')
  @Mutation(() => MeType, {
    description:
      'Signs in with an email address and a password and sets the session cookie (HttpOnly, valid 7 days, ended ' +
      'after 12 hours unused). UNAUTHENTICATED "Invalid email or password" for an unknown email and a wrong password ' +
      'alike; TOO_MANY_REQUESTS, with `extensions.retryAfterSeconds`, after 10 failures in 15 minutes for the email ' +
      'or the client address.',
  })
  async login(
    @Args('email', { description: 'The email address of the account, in any letter case.' }) email: string,
    @Args('password', { description: "The account's password." }) password: string,
    @Context() context: GraphqlContext,
  ): Promise<MeType> {
    const response = requireHttpResponse(context);
    const session = await this.logins.login(email, password);
    this.cookies.set(response, session.token);
    return this.meService.ofUser(session.userId);
  }

  @Audited({ action: 'session.logout', targetType: 'session', targetId: () => null })
  @SignedIn()
  @Mutation(() => Boolean, {
    description:
      'Ends the current session and clears its cookie; true when a session was ended. False, doing nothing, for an API key.',
  })
  async logout(@Context() context: GraphqlContext): Promise<boolean> {
    const principal = currentPrincipal();
    if (principal.kind !== 'USER') return false;
    await this.sessions.end(principal.sessionId);
    const response = httpResponseOf(context);
    if (response) this.cookies.clear(response);
    return true;
  }

  @SignedIn()
  @Query(() => MeType, { description: "The caller: the signed-in user and their workspaces, or an API key's workspace." })
  me(): Promise<MeType> {
    return this.meService.of(currentPrincipal());
  }
}

/** The response to set the cookie on; signing in needs HTTP, since a graphql-ws message cannot set cookies. */
function requireHttpResponse(context: GraphqlContext): ServerResponse {
  const response = httpResponseOf(context);
  if (!response) throw TrellisException.badUserInput('Sign in over HTTP: a WebSocket cannot set the session cookie', []);
  return response;
}
