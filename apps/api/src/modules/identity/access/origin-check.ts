import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { type CredentialCarrier, headerOf } from './credential-carrier.js';

/**
 * Cross-site request forgery defence for session cookies: a browser attaches the cookie to requests other
 * sites make (a form posting `text/plain`, a WebSocket), so a cookie-authenticated mutation or subscription
 * must come from Trellis' own origin. The browser's `Origin` header must equal `TRELLIS_PUBLIC_URL`'s origin,
 * or, without one, name the host the request was sent to. Requests without `Origin` are not from a
 * cross-site page (browsers send it on every cross-origin POST and WebSocket) and pass; bearer keys are
 * never sent by browsers on their own and are not checked.
 *
 * @param publicUrl `TRELLIS_PUBLIC_URL`, if set
 * @param alsoAccepted another site's URL whose origin the handler accepts (see `AcceptsOrigin`), if any
 * @throws TrellisException `FORBIDDEN` for another origin, or the opaque origin `null`
 */
export function assertSameOrigin(carrier: CredentialCarrier, publicUrl: string | undefined, alsoAccepted?: string): void {
  const origin = headerOf(carrier, 'origin');
  if (origin === undefined) return;
  let sent: URL;
  try {
    sent = new URL(origin);
  } catch {
    throw TrellisException.forbidden(`Cross-site request refused: Origin ${origin} is not this site`);
  }
  if (alsoAccepted !== undefined && new URL(alsoAccepted).origin === sent.origin) return;
  const allowed = publicUrl !== undefined ? new URL(publicUrl).origin === sent.origin : sent.host === headerOf(carrier, 'host');
  if (!allowed) throw TrellisException.forbidden(`Cross-site request refused: Origin ${origin} is not this site`);
}
