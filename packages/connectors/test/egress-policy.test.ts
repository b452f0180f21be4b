/**
 * The egress policy's address classifier and allowlist, as pure functions: every restricted form is
 * refused by default (IPv4 numeric spellings as the URL parser canonicalises them, IPv6 and the forms that
 * embed IPv4), metadata stays refused even when its range is listed, and a listed address opens only itself.
 */
import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../src/egress/address-policy.js';
import { decideEgress, EgressConfigError, readEgressPolicy } from '../src/egress/egress-policy.js';

const DEFAULT = readEgressPolicy({});

/** The verdict for `url` connecting to `address` (by default the URL's own IP literal). */
function verdict(policy: ReturnType<typeof readEgressPolicy>, url: string, address?: string) {
  const parsed = new URL(url);
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  return decideEgress(policy, { hostname, address: address ?? hostname, port });
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['64:ff9b::a00:1', 'NAT64 private'],
    ['2002:7f00:1::', '6to4 loopback'],
  ])('refuses %s as %s', (address, range) => {
    expect(classifyAddress(address)).toMatchObject({ kind: 'restricted', range });
  });

  it.each(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe'])('knows %s as cloud metadata', (address) => {
    expect(classifyAddress(address).kind).toBe('metadata');
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:808:808::'])('lets public %s through', (address) => {
    expect(classifyAddress(address).kind).toBe('public');
  });
});

describe('decideEgress', () => {
  it('refuses every numeric spelling of loopback and private addresses, as the URL parser reads them', () => {
    for (const url of ['http://127.0.0.1:4000/healthz', 'http://2130706433:4000/', 'http://0x7f.0.0.1/', 'http://017700000001/', 'http://127.1/', 'http://0.0.0.0:4000/', 'http://012.0.0.1/', 'http://[::1]/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:ffff:127.0.0.1]/']) {
      expect(verdict(DEFAULT, url), url).toMatchObject({ allowed: false, rule: 'restricted' });
    }
    expect(new URL('http://012.0.0.1/').hostname).toBe('10.0.0.1');
    expect(verdict(DEFAULT, 'https://example.com/', '93.184.215.14')).toEqual({ allowed: true });
  });

  it('never reaches metadata, by address or by name, even with its range allowlisted', () => {
    const permissive = readEgressPolicy({ TRELLIS_EGRESS_ALLOW: '169.254.0.0/16,metadata.google.internal,fd00::/8' });
    expect(verdict(permissive, 'http://169.254.169.254/latest/meta-data/')).toMatchObject({ allowed: false, rule: 'metadata' });
    expect(verdict(permissive, 'http://[fd00:ec2::254]/')).toMatchObject({ allowed: false, rule: 'metadata' });
    expect(verdict(permissive, 'http://metadata.google.internal/computeMetadata/v1/', '8.8.8.8')).toMatchObject({ allowed: false, rule: 'metadata' });
    // The rest of the listed range is open.
    expect(verdict(permissive, 'http://169.254.1.1/')).toEqual({ allowed: true });
  });

  it('opens exactly the listed addresses, ranges, names and ports', () => {
    const policy = readEgressPolicy({ TRELLIS_EGRESS_ALLOW: ' 10.0.5.12 , 127.0.0.1:8080, 192.168.0.0/24, api.internal:8443, *.corp.test, [::1]:9000 ' });
    expect(verdict(policy, 'http://10.0.5.12/')).toEqual({ allowed: true });
    expect(verdict(policy, 'http://10.0.5.13/')).toMatchObject({ allowed: false, rule: 'restricted' });
    expect(verdict(policy, 'http://127.0.0.1:8080/')).toEqual({ allowed: true });
    expect(verdict(policy, 'http://127.0.0.1:8081/')).toMatchObject({ allowed: false });
    expect(verdict(policy, 'http://[::ffff:127.0.0.1]:8080/')).toEqual({ allowed: true });
    expect(verdict(policy, 'http://192.168.0.77/')).toEqual({ allowed: true });
    expect(verdict(policy, 'http://192.168.1.77/')).toMatchObject({ allowed: false });
    expect(verdict(policy, 'https://api.internal:8443/', '10.9.9.9')).toEqual({ allowed: true });
    expect(verdict(policy, 'https://api.internal/', '10.9.9.9')).toMatchObject({ allowed: false });
    expect(verdict(policy, 'http://db.corp.test/', '10.2.2.2')).toEqual({ allowed: true });
    expect(verdict(policy, 'http://corp.test.evil.example/', '10.2.2.2')).toMatchObject({ allowed: false });
    expect(verdict(policy, 'http://[::1]:9000/')).toEqual({ allowed: true });
    expect(verdict(policy, 'http://[::1]:9001/')).toMatchObject({ allowed: false });
  });

  it('refuses everything unlisted in allowlist-only mode, public addresses included', () => {
    const policy = readEgressPolicy({ TRELLIS_EGRESS_MODE: 'allowlist-only', TRELLIS_EGRESS_ALLOW: 'api.example.com' });
    expect(verdict(policy, 'https://api.example.com/', '93.184.215.14')).toEqual({ allowed: true });
    expect(verdict(policy, 'https://other.example.com/', '93.184.215.14')).toMatchObject({ allowed: false, rule: 'not-listed' });
  });

  it('names the address and the rule in its refusal', () => {
    expect(verdict(DEFAULT, 'http://2130706433:4000/healthz')).toEqual({
      allowed: false,
      rule: 'restricted',
      message: '127.0.0.1:4000 (127.0.0.1) is a loopback address; list it in TRELLIS_EGRESS_ALLOW to reach it',
    });
  });

  it('refuses malformed configuration with the entry', () => {
    expect(() => readEgressPolicy({ TRELLIS_EGRESS_ALLOW: '10.0.0.0/33' })).toThrow(EgressConfigError);
    expect(() => readEgressPolicy({ TRELLIS_EGRESS_ALLOW: 'host:99999' })).toThrow(/"host:99999" has a bad port/);
    expect(() => readEgressPolicy({ TRELLIS_EGRESS_ALLOW: 'exa mple.com' })).toThrow(/not a host name/);
    expect(() => readEgressPolicy({ TRELLIS_EGRESS_MODE: 'open' })).toThrow(/TRELLIS_EGRESS_MODE/);
  });
});
