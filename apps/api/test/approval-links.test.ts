import { describe, expect, it } from 'vitest';
import { parseDecisionBody } from '../dist/modules/approvals/decision-links/decision-body.js';
import { escapeHtml, renderDecisionPage } from '../dist/modules/approvals/decision-links/decision-page.js';
import { isSameDecision } from '../dist/modules/approvals/services/approval-closure.js';
import { checkApprovalValues, normaliseApprovalValues } from '../dist/modules/approvals/services/approval-form.js';
import { signDecisionToken, verifyDecisionToken } from '../dist/modules/approvals/services/decision-token.js';
import { ConfigurationError, loadApiConfigFromEnv } from '../dist/infrastructure/config/api-config.js';

const KEY = 'k'.repeat(64);
const ID = '6f1c1d4e-2b1a-4c3d-9e8f-0a1b2c3d4e5f';

describe('decision tokens', () => {
  const future = new Date(Date.now() + 60_000);

  it('verifies a token for its approval until it expires', () => {
    const token = signDecisionToken(KEY, ID, future);
    expect(token).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyDecisionToken(KEY, ID, token)).toEqual({ ok: true, expiresAt: new Date(Math.floor(future.getTime() / 1000) * 1000) });
    expect(verifyDecisionToken(KEY, ID, token, new Date(future.getTime() + 1000))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses another approval, another key, a changed expiry or signature, and garbage', () => {
    const token = signDecisionToken(KEY, ID, future);
    const [expiry, signature] = token.split('.');
    const flipped = `${expiry}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    for (const [key, id, candidate] of [
      [KEY, '00000000-0000-4000-8000-000000000000', token],
      ['x'.repeat(64), ID, token],
      [KEY, ID, `${Number(expiry) + 3600}.${signature}`],
      [KEY, ID, flipped],
      [KEY, ID, ''],
      [KEY, ID, 'not-a-token'],
      [KEY, ID, `${expiry}.${signature}=`],
    ]) {
      expect(verifyDecisionToken(key, id, candidate)).toEqual({ ok: false, reason: 'invalid' });
    }
  });
});

describe('approval form values', () => {
  const form = {
    type: 'object',
    required: ['amount'],
    properties: { amount: { type: 'number', minimum: 1 }, note: { type: 'string' } },
    additionalProperties: false,
  };

  it('reports problems under values, and missing values as missing fields', () => {
    expect(checkApprovalValues(form, { amount: 0, extra: true })).toEqual(
      expect.arrayContaining([
        { path: 'values.amount', message: 'must be >= 1' },
        { path: 'values.extra', message: 'is not allowed' },
      ]),
    );
    expect(checkApprovalValues(form, normaliseApprovalValues(form, undefined))).toEqual([{ path: 'values.amount', message: 'is required' }]);
    expect(checkApprovalValues(form, [1])).toEqual([{ path: 'values', message: 'must be an object' }]);
    expect(checkApprovalValues(form, { amount: 2 })).toEqual([]);
  });

  it('accepts no values without a form and refuses some', () => {
    expect(normaliseApprovalValues(null, undefined)).toBeNull();
    expect(checkApprovalValues(null, null)).toEqual([]);
    expect(checkApprovalValues(null, { a: 1 })).toEqual([{ path: 'values', message: 'is not allowed: this approval has no form' }]);
  });

  it('reports a broken stored form under form', () => {
    expect(checkApprovalValues({ type: 'nope' }, {})[0].path).toMatch(/^form/);
  });
});

describe('same decision', () => {
  const decided = { status: 'APPROVED' as const, comment: 'ok', values: { amount: 12, tags: ['a', { b: 1 }] } };

  it('compares values as JSON: key order and prototypes do not matter', () => {
    const literal = Object.assign(Object.create(null) as Record<string, unknown>, { tags: ['a', Object.assign(Object.create(null), { b: 1 })], amount: 12 });
    expect(isSameDecision(decided, { approve: true, comment: 'ok', values: literal })).toBe(true);
    expect(isSameDecision({ status: 'REJECTED', comment: null, values: null }, { approve: false, comment: null, values: null })).toBe(true);
  });

  it('tells a different outcome, comment or values apart', () => {
    for (const decision of [
      { approve: false, comment: 'ok', values: decided.values },
      { approve: true, comment: null, values: decided.values },
      { approve: true, comment: 'ok', values: { amount: 12 } },
      { approve: true, comment: 'ok', values: { amount: 12, tags: ['a', { b: 2 }] } },
      { approve: true, comment: 'ok', values: { amount: 12, tags: ['a'] } },
      { approve: true, comment: 'ok', values: { amount: 12, tags: { 0: 'a', 1: { b: 1 } } } },
      { approve: true, comment: 'ok', values: null },
    ]) {
      expect(isSameDecision(decided, decision)).toBe(false);
    }
  });
});

describe('decision bodies', () => {
  it('reads JSON and HTML form bodies', () => {
    expect(parseDecisionBody({ approve: true, values: { a: 1 } })).toEqual({
      ok: true,
      body: { approve: true, comment: null, values: { a: 1 }, decidedBy: null },
    });
    expect(parseDecisionBody({ approve: 'false', comment: 'no', values: '{"a":2}', decidedBy: '' })).toEqual({
      ok: true,
      body: { approve: false, comment: 'no', values: { a: 2 }, decidedBy: null },
    });
  });

  it('lists what is wrong', () => {
    expect(parseDecisionBody(undefined)).toMatchObject({ ok: false });
    expect(parseDecisionBody({ approve: 'yes', values: '{', comment: 3 })).toEqual({
      ok: false,
      issues: [
        { path: 'approve', message: 'must be true or false' },
        { path: 'comment', message: 'must be a string' },
        { path: 'values', message: 'must be a JSON object' },
      ],
    });
  });
});

describe('decision page', () => {
  it('escapes every value it shows', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderDecisionPage(
      {
        id: ID,
        runId: ID,
        nodeId: 'gate',
        status: 'PENDING',
        message: '<script>alert(1)</script>',
        details: null,
        assignees: ['a@example.com'],
        form: null,
        values: null,
        comment: null,
        decidedBy: null,
        requestedAt: '2030-01-01T00:00:00.000Z',
        dueAt: null,
        decidedAt: null,
        closedReason: null,
      },
      '/approvals/x/decision?token=1.a"b',
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('action="/approvals/x/decision?token=1.a&quot;b"');
    expect(html).toContain('value="true"');
  });
});

describe('link configuration', () => {
  it('reads TRELLIS_SECRET_KEY and TRELLIS_PUBLIC_URL', () => {
    const config = loadApiConfigFromEnv({
      DATABASE_URL: 'postgresql://db/x',
      TRELLIS_SECRET_KEY: KEY,
      TRELLIS_PUBLIC_URL: 'https://trellis.example.com/',
    });
    expect(config).toMatchObject({ secretKey: KEY, publicUrl: 'https://trellis.example.com' });
    expect(() => loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', TRELLIS_SECRET_KEY: 'short' })).toThrow(ConfigurationError);
    expect(() => loadApiConfigFromEnv({ DATABASE_URL: 'postgresql://db/x', TRELLIS_PUBLIC_URL: 'ftp://x' })).toThrow(/TRELLIS_PUBLIC_URL/);
  });
});
