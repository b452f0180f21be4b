import { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { stringifySetCookie } from 'cookie';
import { API_CONFIG, type ApiConfig } from '../../../../infrastructure/config/api-config.js';
import { SESSION_COOKIE } from '../../access/principal-resolver.service.js';
import { SESSION_ABSOLUTE_LIFETIME_MS } from './session-store.service.js';

/**
 * Writes the session cookie, {@link SESSION_COOKIE}: `HttpOnly` so page scripts cannot read it,
 * `SameSite=Lax` so other sites' pages cannot send it with their forms' POSTs, `Path=/`, and `Secure`
 * when the API is reached over HTTPS (`ApiConfig.publicUrl` starts with `https:`); over plain HTTP a
 * `Secure` cookie would never be sent back, so development setups on `http://localhost` keep working.
 */
@Injectable()
export class SessionCookieService {
  readonly #secure: boolean;

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.#secure = /^https:/i.test(config.publicUrl ?? '');
  }

  /**
   * Adds a `Set-Cookie` header carrying `token`, kept by the browser for the session's absolute lifetime
   * (`Max-Age` = {@link SESSION_ABSOLUTE_LIFETIME_MS} in seconds; the server enforces the idle timeout).
   */
  set(response: ServerResponse, token: string): void {
    this.append(response, token, SESSION_ABSOLUTE_LIFETIME_MS / 1000);
  }

  /** Adds a `Set-Cookie` header that makes the browser drop the cookie (`Max-Age=0`, empty value). */
  clear(response: ServerResponse): void {
    this.append(response, '', 0);
  }

  private append(response: ServerResponse, value: string, maxAgeSeconds: number): void {
    const header = stringifySetCookie(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: this.#secure,
      maxAge: maxAgeSeconds,
    });
    response.appendHeader('set-cookie', header);
  }
}

/**
 * The HTTP response of a GraphQL operation's context (`GraphqlContext.res`), to set cookies on; undefined
 * for an operation over graphql-ws, which has none.
 */
export function httpResponseOf(context: { res?: unknown }): ServerResponse | undefined {
  return context.res instanceof ServerResponse ? context.res : undefined;
}
