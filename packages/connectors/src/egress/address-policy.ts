/**
 * Which addresses a request made on a DAG's behalf may connect to. Pure: it classifies addresses Trellis
 * has already resolved (and host names, for the metadata names); the one outbound function applies it to
 * every address a name resolves to, and connects only to an address it accepted.
 *
 * Ranges are ipaddr.js's (IANA special-purpose registries, RFC 6890); IPv6 forms that embed an IPv4 address
 * (IPv4-mapped `::ffff:0:0/96`, IPv4-compatible `::/96`, NAT64 `64:ff9b::/96` RFC 6052, 6to4 `2002::/16`
 * RFC 3056) are judged by the IPv4 address they carry, so `::ffff:127.0.0.1` is loopback.
 */
import ipaddr from 'ipaddr.js';

/** Cloud metadata endpoints: never reachable, whatever the allowlist says. */
export const METADATA_ADDRESSES: ReadonlySet<string> = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);
/** Host names of cloud metadata endpoints, refused before they are even resolved. */
export const METADATA_HOSTNAMES: ReadonlySet<string> = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

/** ipaddr.js ranges that are open without an allowlist entry: ordinary internet addresses. */
const PUBLIC_RANGES: ReadonlySet<string> = new Set(['unicast']);

/** How an address is judged. */
export type AddressClass =
  | { kind: 'public'; address: string }
  | { kind: 'restricted'; address: string; range: string }
  | { kind: 'metadata'; address: string };

/** The IPv4 address an IPv6 address carries in one of the embedding forms, with the form's name; or null. */
function embeddedIpv4(address: ipaddr.IPv6): { form: string; ipv4: ipaddr.IPv4 } | null {
  const range = address.range();
  const bytes = address.toByteArray();
  if (range === 'ipv4Mapped') return { form: 'IPv4-mapped', ipv4: address.toIPv4Address() };
  if (range === 'rfc6052') return { form: 'NAT64', ipv4: new ipaddr.IPv4(bytes.slice(12, 16)) };
  if (range === '6to4') return { form: '6to4', ipv4: new ipaddr.IPv4(bytes.slice(2, 6)) };
  // IPv4-compatible (`::a.b.c.d`, deprecated by RFC 4291 but still routed by some stacks); `::` and `::1` are themselves.
  if (range !== 'unspecified' && range !== 'loopback' && address.parts.slice(0, 6).every((part) => part === 0)) {
    return { form: 'IPv4-compatible', ipv4: new ipaddr.IPv4(bytes.slice(12, 16)) };
  }
  return null;
}

/**
 * Classifies a resolved address: `metadata` for cloud metadata endpoints (in any embedding form),
 * `restricted` with the range's name for loopback, private, link-local, carrier-grade NAT, unique-local,
 * multicast, reserved, unspecified and the like (`IPv4-mapped loopback` for an embedded one), `public`
 * otherwise. `address` is the compact canonical text.
 *
 * @throws Error when `text` is not an IP address
 */
export function classifyAddress(text: string): AddressClass {
  const parsed = ipaddr.parse(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text);
  const address = parsed.toString();
  const embedded = parsed.kind() === 'ipv6' ? embeddedIpv4(parsed as ipaddr.IPv6) : null;
  const judged: ipaddr.IPv4 | ipaddr.IPv6 = embedded?.ipv4 ?? parsed;
  if (METADATA_ADDRESSES.has(address) || METADATA_ADDRESSES.has(judged.toString())) return { kind: 'metadata', address };
  const range = judged.range();
  if (PUBLIC_RANGES.has(range)) return { kind: 'public', address };
  return { kind: 'restricted', address, range: embedded ? `${embedded.form} ${range}` : range };
}
