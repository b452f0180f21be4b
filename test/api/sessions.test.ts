/**
 * People signing in, over the wire: the first-run setup token from the log, `setupOwner` once, `login`
 * with its cookie and its failure limits shared by two API processes on one database, `me`, `logout`,
 * and the idle and absolute expiry of sessions.
 */
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiTestContext, type GraphqlResponse, sessionCookieOf, startTestApi, TEST_API_KEY, TEST_AUTHORIZATION } from './support/api-test-context.js';

/** A log line of the API, as pino writes it. */
interface LogLine {
  level: number;
  msg: string;
  setupToken?: string;
}

/** A logger keeping the API's warnings (and worse) in `lines`. */
function capturingLogger(lines: LogLine[]) {
  return pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
}

const firstLines: LogLine[] = [];
const otherLines: LogLine[] = [];
let ctx: ApiTestContext;
/** A second API process on the same database, reached at an https public URL. */
let other: ApiTestContext;

beforeAll(async () => {
  ctx = await startTestApi({ logger: capturingLogger(firstLines) });
  other = await startTestApi({ db: ctx.db, logger: capturingLogger(otherLines), publicUrl: 'https://trellis.example.com' });
});
afterAll(async () => {
  await other?.close();
  await ctx?.close();
});

const OWNER_EMAIL = 'Owner@Example.com';
const OWNER_PASSWORD = 'correct horse battery staple';
const WORKSPACE_NAME = 'Acme automation';

const ME_FIELDS = `principalKind user { id email createdAt } workspaces { workspace { id name } role }`;
const SETUP = `mutation ($token: String!, $email: String!, $password: String!, $workspaceName: String!) {
  setupOwner(token: $token, email: $email, password: $password, workspaceName: $workspaceName) { ${ME_FIELDS} }
}`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { ${ME_FIELDS} } }`;
const LOGOUT = `mutation { logout }`;
const ME = `{ me { ${ME_FIELDS} } }`;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function codeOf(response: GraphqlResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

const cookieHeader = (token: string) => ({ cookie: `trellis_session=${token}` });

/** Signs the owner in through `api`; returns the session token. */
async function signIn(api: ApiTestContext = ctx): Promise<string> {
  const response = await api.graphqlWith({}, LOGIN, { email: OWNER_EMAIL, password: OWNER_PASSWORD });
  expect(response.errors).toBeUndefined();
  return sessionCookieOf(response).token;
}

/** A failed login through `api` with a wrong password for `email`; fails the test unless it is UNAUTHENTICATED. */
async function failLogin(api: ApiTestContext, email = OWNER_EMAIL): Promise<void> {
  expect(codeOf(await api.graphqlWith({}, LOGIN, { email, password: 'not the password at all' }))).toBe('UNAUTHENTICATED');
}

describe('first-run setup', () => {
  it('logs a setup token at each start while no user exists, at warn level', () => {
    const [first] = firstLines.filter((line) => line.setupToken !== undefined);
    const [second] = otherLines.filter((line) => line.setupToken !== undefined);
    expect(first).toMatchObject({ level: 40, msg: expect.stringContaining('setupOwner') });
    expect(first.msg).toContain(first.setupToken);
    expect(second.setupToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.setupToken).not.toBe(first.setupToken);
  });

  it('refuses an invalid email, password or workspace name, and an unknown token, creating nothing', async () => {
    const token = firstLines.find((line) => line.setupToken)!.setupToken!;
    const invalid = await ctx.graphqlWith({}, SETUP, { token, email: 'not-an-email', password: 'short', workspaceName: ' ' });
    expect(codeOf(invalid)).toBe('BAD_USER_INPUT');
    expect(invalid.errors?.[0].extensions?.issues?.map((issue) => issue.path)).toEqual(['email', 'password', 'workspaceName']);
    const unknown = await ctx.graphqlWith({}, SETUP, { token: `${token.slice(0, -1)}x`, email: OWNER_EMAIL, password: OWNER_PASSWORD, workspaceName: WORKSPACE_NAME });
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(await ctx.db.prisma.user.count()).toBe(0);
    expect(await ctx.db.prisma.setupToken.count()).toBe(2);
  });

  it('creates one owner from two concurrent calls, signed in, in the renamed first workspace, and uses up every token', async () => {
    // The token of the first start: the second process's start did not invalidate it.
    const token = firstLines.find((line) => line.setupToken)!.setupToken!;
    const setup = { token, email: OWNER_EMAIL, password: OWNER_PASSWORD, workspaceName: WORKSPACE_NAME };
    const responses = await Promise.all([ctx.graphqlWith({}, SETUP, setup), other.graphqlWith({}, SETUP, setup)]);
    expect(responses.map(codeOf).sort()).toEqual(['CONFLICT', undefined]);
    const a = responses.find((response) => codeOf(response) === undefined)!;
    expect(a.data?.setupOwner).toMatchObject({
      principalKind: 'USER',
      user: { email: OWNER_EMAIL },
      workspaces: [{ workspace: { name: WORKSPACE_NAME }, role: 'OWNER' }],
    });
    const bootstrapKey = await ctx.db.prisma.apiKey.findUniqueOrThrow({ where: { tokenHash: sha256(TEST_API_KEY) } });
    expect(a.data?.setupOwner.workspaces[0].workspace.id).toBe(bootstrapKey.workspaceId);
    expect(await ctx.db.prisma.user.count()).toBe(1);
    expect(await ctx.db.prisma.membership.count()).toBe(1);
    expect(await ctx.db.prisma.setupToken.count()).toBe(0);

    const { token: sessionToken } = sessionCookieOf(a);
    const me = await ctx.graphqlWith(cookieHeader(sessionToken), ME);
    expect(me.data?.me.user.email).toBe(OWNER_EMAIL);

    const again = await ctx.graphqlWith({}, SETUP, { token, email: 'late@example.com', password: OWNER_PASSWORD, workspaceName: 'Late' });
    expect(codeOf(again)).toBe('CONFLICT');
  });

  it('issues no token once the owner exists', async () => {
    const lines: LogLine[] = [];
    const restarted = await startTestApi({ db: ctx.db, logger: capturingLogger(lines) });
    await restarted.close();
    expect(lines.filter((line) => line.setupToken !== undefined)).toEqual([]);
    expect(await ctx.db.prisma.setupToken.count()).toBe(0);
  });
});

describe('sessions', () => {
  beforeEach(async () => {
    await ctx.db.prisma.$executeRaw`DELETE FROM rate_limit_windows`;
  });

  it('login sets an HttpOnly, SameSite=Lax cookie for the whole site, and me returns the user as OWNER', async () => {
    const response = await ctx.graphqlWith({ 'user-agent': 'sessions-test/1.0' }, LOGIN, { email: 'owner@EXAMPLE.com', password: OWNER_PASSWORD });
    expect(response.errors).toBeUndefined();
    const { token, attributes } = sessionCookieOf(response);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', `Max-Age=${7 * 24 * 60 * 60}`]));
    expect(attributes).not.toContain('Secure');

    const session = await ctx.db.prisma.session.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    expect(session.userAgent).toBe('sessions-test/1.0');
    expect(session.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(Math.abs(session.expiresAt.getTime() - session.createdAt.getTime() - 7 * 24 * 60 * 60_000)).toBeLessThan(5_000);

    const me = await ctx.graphqlWith(cookieHeader(token), ME);
    expect(me.data?.me).toEqual({
      principalKind: 'USER',
      user: { id: session.userId, email: OWNER_EMAIL, createdAt: expect.any(String) },
      workspaces: [{ workspace: { id: expect.any(String), name: WORKSPACE_NAME }, role: 'OWNER' }],
    });
    // The session's one workspace is the one it acts in.
    expect(codeOf(await ctx.graphqlWith(cookieHeader(token), `{ agents { id } }`))).toBeUndefined();
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const response = await other.graphqlWith({}, LOGIN, { email: OWNER_EMAIL, password: OWNER_PASSWORD });
    expect(sessionCookieOf(response).attributes).toContain('Secure');
  });

  it('answers an API key with no user and its own workspace and role', async () => {
    const me = await ctx.graphqlWith({ authorization: TEST_AUTHORIZATION }, ME);
    expect(me.data?.me).toEqual({
      principalKind: 'API_KEY',
      user: null,
      workspaces: [{ workspace: { id: expect.any(String), name: WORKSPACE_NAME }, role: 'OWNER' }],
    });
    expect(codeOf(await ctx.graphqlWith({}, ME))).toBe('UNAUTHENTICATED');
  });

  it('gives a wrong password and an unknown email the same error, setting no cookie', async () => {
    const wrong = await ctx.graphqlWith({}, LOGIN, { email: OWNER_EMAIL, password: 'wrong password, long enough' });
    const unknown = await ctx.graphqlWith({}, LOGIN, { email: 'nobody@example.com', password: OWNER_PASSWORD });
    for (const response of [wrong, unknown]) {
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([expect.objectContaining({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } })]);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
  });

  it('logout deletes the session and clears the cookie, which no longer works; for an API key it does nothing', async () => {
    const token = await signIn();
    const response = await ctx.graphqlWith(cookieHeader(token), LOGOUT);
    expect(response.data).toEqual({ logout: true });
    const cleared = sessionCookieOf(response);
    expect(cleared.token).toBe('');
    expect(cleared.attributes).toEqual(expect.arrayContaining(['Max-Age=0', 'HttpOnly', 'Path=/']));
    expect(await ctx.db.prisma.session.findUnique({ where: { tokenHash: sha256(token) } })).toBeNull();
    expect(codeOf(await ctx.graphqlWith(cookieHeader(token), ME))).toBe('UNAUTHENTICATED');

    const sessions = await ctx.db.prisma.session.count();
    const byKey = await ctx.graphqlWith({ authorization: TEST_AUTHORIZATION }, LOGOUT);
    expect(byKey.data).toEqual({ logout: false });
    expect(byKey.headers.getSetCookie()).toEqual([]);
    expect(await ctx.db.prisma.session.count()).toBe(sessions);
  });

  it('refuses a session unused for more than 12 hours and one past its absolute expiry', async () => {
    const idle = await signIn();
    const expired = await signIn();
    await ctx.db.prisma.$executeRaw`UPDATE sessions SET last_seen_at = now() - interval '12 hours 1 minute' WHERE token_hash = ${sha256(idle)}`;
    await ctx.db.prisma.$executeRaw`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = ${sha256(expired)}`;
    for (const token of [idle, expired]) {
      const me = await ctx.graphqlWith(cookieHeader(token), ME);
      expect(me.errors?.[0]).toMatchObject({ message: 'The session has expired; sign in again', extensions: { code: 'UNAUTHENTICATED' } });
    }
  });
});

describe('login failure limits', () => {
  const WINDOW_MS = 15 * 60_000;
  const OWNER_BUCKET = `login:email:${sha256(OWNER_EMAIL.toLowerCase())}`;

  beforeEach(async () => {
    // Each test's attempts must fall in one fixed window: close to a window's end, wait for the next one.
    const untilNextWindow = WINDOW_MS - (Date.now() % WINDOW_MS);
    if (untilNextWindow < 30_000) await new Promise((resolve) => setTimeout(resolve, untilNextWindow + 100));
    await ctx.db.prisma.$executeRaw`DELETE FROM rate_limit_windows`;
  });

  /** Hits counted for the owner's email and for the (one) client address of the tests. */
  async function windowHits(): Promise<{ email: number; ip: number }> {
    const rows = await ctx.db.prisma.rateLimitWindow.findMany();
    const sum = (matches: (bucket: string) => boolean) => rows.filter((row) => matches(row.bucket)).reduce((total, row) => total + row.hits, 0);
    return { email: sum((bucket) => bucket === OWNER_BUCKET), ip: sum((bucket) => bucket.startsWith('login:ip:')) };
  }

  it('refuses the 11th login for an email after 10 failures across two API processes, even with the right password', async () => {
    for (let attempt = 0; attempt < 10; attempt++) await failLogin(attempt % 2 === 0 ? ctx : other);
    expect(await windowHits()).toEqual({ email: 10, ip: 10 });

    for (const api of [ctx, other]) {
      const refused = await api.graphqlWith({}, LOGIN, { email: OWNER_EMAIL.toUpperCase(), password: OWNER_PASSWORD });
      expect(codeOf(refused)).toBe('TOO_MANY_REQUESTS');
      expect(refused.errors?.[0].message).toMatch(/^Too many failed sign-in attempts; try again in \d+ seconds$/);
      const retryAfterSeconds = refused.errors?.[0].extensions?.retryAfterSeconds;
      expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
      expect(refused.headers.getSetCookie()).toEqual([]);
    }

    // With the address's count gone, the email's own count still refuses it, and only it.
    await ctx.db.prisma.$executeRaw`DELETE FROM rate_limit_windows WHERE bucket LIKE 'login:ip:%'`;
    expect(codeOf(await ctx.graphqlWith({}, LOGIN, { email: OWNER_EMAIL, password: OWNER_PASSWORD }))).toBe('TOO_MANY_REQUESTS');
    await failLogin(other, 'someone-else@example.com');
  });

  it('refuses every email from an address after 10 failures from it', async () => {
    for (let attempt = 0; attempt < 10; attempt++) await failLogin(attempt % 2 === 0 ? other : ctx, `unknown-${attempt}@example.com`);
    const refused = await ctx.graphqlWith({}, LOGIN, { email: OWNER_EMAIL, password: OWNER_PASSWORD });
    expect(codeOf(refused)).toBe('TOO_MANY_REQUESTS');
    expect(refused.errors?.[0].extensions?.retryAfterSeconds).toEqual(expect.any(Number));
    // The refused attempt counts against neither bucket: its email hit was given back.
    expect(await windowHits()).toEqual({ email: 0, ip: 10 });
  });

  it('counts failures only: a successful login gives its hit back', async () => {
    for (let attempt = 0; attempt < 9; attempt++) await failLogin(ctx);
    await signIn(other);
    await failLogin(ctx);
    expect(await windowHits()).toEqual({ email: 10, ip: 10 });
    expect(codeOf(await ctx.graphqlWith({}, LOGIN, { email: OWNER_EMAIL, password: OWNER_PASSWORD }))).toBe('TOO_MANY_REQUESTS');
  });

  it('lets no more than 10 of a burst of parallel attempts be checked', async () => {
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, attempt) =>
        (attempt % 2 === 0 ? ctx : other).graphqlWith({}, LOGIN, { email: OWNER_EMAIL, password: 'not the password at all' }),
      ),
    );
    const codes = responses.map(codeOf);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(10);
    expect(codes.filter((code) => code === 'TOO_MANY_REQUESTS')).toHaveLength(6);
    expect(await windowHits()).toEqual({ email: 10, ip: 10 });
  });
});
