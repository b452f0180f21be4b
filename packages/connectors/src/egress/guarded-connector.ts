/**
 * The connector of Trellis's outbound requests: before a socket is opened, the host is resolved by Trellis
 * (or taken as the IP literal it is), every address returned is checked against the egress policy, and
 * the socket is opened to the first checked address, with the original name kept for TLS SNI (and, by
 * undici, for the Host header). One resolution per connection: a name whose next resolution changes
 * (DNS rebinding) cannot swap the address that was checked.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';
import { decideEgress, type EgressPolicy } from './egress-policy.js';

/** An address a name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; tests pass one they control. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system's resolver (`getaddrinfo`), every address in the order it returns them. */
export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })) as ResolvedAddress[];

/** A refused connection: the address, the port and the rule are in the message. Never retried. */
export class EgressBlockedError extends Error {
  override readonly name = 'EgressBlocked';
  constructor(
    message: string,
    /** `metadata`, `restricted`, `not-listed` or `dns` (a name that did not resolve: refused, not tried). */
    readonly rule: string,
  ) {
    super(message);
  }
}

/**
 * The address to connect to for `hostname:port`: the literal itself, or the first address the name
 * resolves to, once every address it resolves to is allowed (a name with one private address among public
 * ones is refused: the system could pick either).
 *
 * @throws EgressBlockedError for a refused address, or a name that does not resolve (fail closed)
 */
export async function checkedAddress(policy: EgressPolicy, resolve: Resolver, hostname: string, port: number): Promise<ResolvedAddress> {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(bare)) {
    addresses = [{ address: bare, family: ipaddr.parse(bare).kind() === 'ipv4' ? 4 : 6 }];
  } else {
    try {
      addresses = await resolve(bare);
    } catch (error) {
      throw new EgressBlockedError(`${bare} did not resolve (${(error as Error).message}); nothing was sent`, 'dns');
    }
    if (addresses.length === 0) throw new EgressBlockedError(`${bare} resolved to no address; nothing was sent`, 'dns');
  }
  for (const resolved of addresses) {
    const decision = decideEgress(policy, { hostname: bare, address: resolved.address, port });
    if (!decision.allowed) throw new EgressBlockedError(decision.message, decision.rule);
  }
  return addresses[0];
}

/**
 * An undici connector applying the egress policy to every connection it opens.
 *
 * @param options.resolve - the resolver (default the system's)
 * @param options.connect - the connector that opens the checked socket (default undici's); tests wrap it to
 *   record connections
 */
export function guardedConnector(
  policy: EgressPolicy,
  options: { resolve?: Resolver; connect?: buildConnector.connector } = {},
): buildConnector.connector {
  const resolve = options.resolve ?? systemResolver;
  const connect = options.connect ?? buildConnector({});
  return (connection, callback) => {
    const port = Number(connection.port || (connection.protocol === 'https:' ? 443 : 80));
    checkedAddress(policy, resolve, connection.hostname, port).then(
      (target) => connect({ ...connection, hostname: target.address, servername: connection.servername ?? servernameOf(connection.hostname) }, callback),
      (error: unknown) => callback(error as Error, null),
    );
  };
}

/** The TLS server name for a host: the name itself, none for an IP literal (SNI carries names only). */
function servernameOf(hostname: string): string | undefined {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, '')) ? undefined : hostname;
}
