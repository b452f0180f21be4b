/**
 * The egress policy: which (host, address, port) a request on a DAG's behalf may connect to, from
 * `TRELLIS_EGRESS_ALLOW` and `TRELLIS_EGRESS_MODE`. Addresses are those Trellis resolved itself; the
 * caller connects only to an address the policy accepted.
 */
import ipaddr from 'ipaddr.js';
import { classifyAddress, METADATA_HOSTNAMES } from './address-policy.js';

/** `default`: public addresses open, restricted ones only when listed; `allowlist-only`: only what is listed. */
export type EgressMode = 'default' | 'allowlist-only';

/** One `TRELLIS_EGRESS_ALLOW` entry: a host name (`*.` for its subdomains), an address or a CIDR range, and an optional port. */
export type EgressAllowEntry =
  | { kind: 'host'; name: string; port?: number }
  | { kind: 'range'; range: [ipaddr.IPv4 | ipaddr.IPv6, number]; port?: number };

export interface EgressPolicy {
  mode: EgressMode;
  allow: EgressAllowEntry[];
}

/** What a connection is about to reach. */
export interface EgressTarget {
  /** The URL's host name, lower case, without brackets (an IP literal for URLs that name one). */
  hostname: string;
  /** The resolved address the connection would use. */
  address: string;
  port: number;
}

/** The verdict on a target; `rule` names why a refused one is refused. */
export type EgressDecision = { allowed: true } | { allowed: false; rule: 'metadata' | 'restricted' | 'not-listed'; message: string };

/** Thrown for a malformed `TRELLIS_EGRESS_ALLOW` or `TRELLIS_EGRESS_MODE`. */
export class EgressConfigError extends Error {
  override readonly name = 'EgressConfigError';
}

function parsePort(text: string, entry: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535) throw new EgressConfigError(`TRELLIS_EGRESS_ALLOW: "${entry}" has a bad port "${text}"`);
  return port;
}

function parseTarget(text: string, entry: string): EgressAllowEntry {
  const range = text.includes('/') ? text : ipaddr.isValid(text) ? `${text}/${ipaddr.parse(text).kind() === 'ipv4' ? 32 : 128}` : null;
  if (range !== null) {
    try {
      return { kind: 'range', range: ipaddr.parseCIDR(range) };
    } catch {
      throw new EgressConfigError(`TRELLIS_EGRESS_ALLOW: "${entry}" is not an address or CIDR range`);
    }
  }
  if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(text)) {
    throw new EgressConfigError(`TRELLIS_EGRESS_ALLOW: "${entry}" is not a host name, address or CIDR range`);
  }
  return { kind: 'host', name: text.toLowerCase() };
}

/**
 * Parses `TRELLIS_EGRESS_ALLOW` (comma-separated `host`, `*.domain`, `a.b.c.d`, `cidr`, each optionally
 * with `:port`; IPv6 with a port in brackets: `[::1]:8080`, `[fd00::/8]:443`) and `TRELLIS_EGRESS_MODE`.
 *
 * @throws EgressConfigError naming the entry that does not parse, or an unknown mode
 */
export function readEgressPolicy(env: Record<string, string | undefined>): EgressPolicy {
  const mode = env.TRELLIS_EGRESS_MODE?.trim() || 'default';
  if (mode !== 'default' && mode !== 'allowlist-only') {
    throw new EgressConfigError(`TRELLIS_EGRESS_MODE must be "default" or "allowlist-only", got "${mode}"`);
  }
  const allow: EgressAllowEntry[] = [];
  for (const raw of (env.TRELLIS_EGRESS_ALLOW ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const bracketed = /^\[([^\]]+)\](?::(.+))?$/.exec(entry);
    if (bracketed) {
      allow.push({ ...parseTarget(bracketed[1], entry), ...(bracketed[2] !== undefined && { port: parsePort(bracketed[2], entry) }) });
      continue;
    }
    // More than one colon without brackets: an IPv6 address or range, without a port.
    const colons = entry.split(':').length - 1;
    if (colons === 1) {
      const [target, port] = entry.split(':');
      allow.push({ ...parseTarget(target, entry), port: parsePort(port, entry) });
    } else {
      allow.push(parseTarget(entry, entry));
    }
  }
  return { mode, allow };
}

function listed(policy: EgressPolicy, target: EgressTarget): boolean {
  const address = ipaddr.process(target.address);
  return policy.allow.some((entry) => {
    if (entry.port !== undefined && entry.port !== target.port) return false;
    if (entry.kind === 'host') {
      return entry.name.startsWith('*.') ? target.hostname.endsWith(entry.name.slice(1)) : target.hostname === entry.name;
    }
    const [network] = entry.range;
    return network.kind() === address.kind() && address.match(entry.range as never);
  });
}

/**
 * Judges one connection: cloud metadata is never reachable; in `default` mode public addresses are open
 * and restricted ones (loopback, private, link-local, …, see `classifyAddress`) only when an entry lists
 * the address, its range or the host name; in `allowlist-only` mode nothing unlisted is reachable.
 * Entries match an address exactly as written: listing `10.0.5.12` leaves `10.0.5.13` refused.
 */
export function decideEgress(policy: EgressPolicy, target: EgressTarget): EgressDecision {
  const where = `${target.hostname}:${target.port} (${target.address})`;
  const judged = classifyAddress(target.address);
  if (METADATA_HOSTNAMES.has(target.hostname) || judged.kind === 'metadata') {
    return { allowed: false, rule: 'metadata', message: `${where} is a cloud metadata endpoint, which is never reachable` };
  }
  if (listed(policy, target)) return { allowed: true };
  if (policy.mode === 'allowlist-only') {
    return { allowed: false, rule: 'not-listed', message: `${where} is not in TRELLIS_EGRESS_ALLOW (TRELLIS_EGRESS_MODE=allowlist-only)` };
  }
  if (judged.kind === 'restricted') {
    return { allowed: false, rule: 'restricted', message: `${where} is a ${judged.range} address; list it in TRELLIS_EGRESS_ALLOW to reach it` };
  }
  return { allowed: true };
}
