import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NO_INSTALL_ENV,
  TEMPORAL_CLI_VERSION,
  cachedCliPath,
  resolveTemporalCli,
  temporalCacheDir,
} from '../../temporal/dev-server.mjs';

/**
 * Each case builds a private world in a temp dir: a PATH directory, a fake XDG_CACHE_HOME and
 * symlinks to the real CLI, so the real user cache and PATH play no part.
 */
let root: string;
let realCli: string;
let caseNumber = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'trellis-resolve-cli-'));
  realCli = (await resolveTemporalCli({ log: () => {} })).path;
}, 600_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh case directory with an empty PATH dir and cache dir. */
async function newCase() {
  const dir = join(root, `case-${++caseNumber}`);
  const bin = join(dir, 'bin');
  const cache = join(dir, 'cache');
  await mkdir(bin, { recursive: true });
  await mkdir(cache, { recursive: true });
  const env: NodeJS.ProcessEnv = { HOME: dir, PATH: bin, XDG_CACHE_HOME: cache, [NO_INSTALL_ENV]: '1' };
  return { dir, bin, cache, env };
}

async function linkRealCli(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await symlink(realCli, path);
  return path;
}

function collectingLog() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}

describe('resolveTemporalCli', () => {
  it('places the cache at <XDG_CACHE_HOME>/trellis/temporal-<pinned version>/temporal', () => {
    const env = { XDG_CACHE_HOME: '/some/cache' };
    expect(temporalCacheDir(env)).toBe(`/some/cache/trellis/temporal-${TEMPORAL_CLI_VERSION}`);
    expect(cachedCliPath(env)).toBe(`/some/cache/trellis/temporal-${TEMPORAL_CLI_VERSION}/temporal`);
    expect(temporalCacheDir({ HOME: '/home/someone' })).toMatch(/\/\.cache\/trellis\/temporal-/);
  });

  it('prefers TEMPORAL_CLI_PATH over PATH and the cache', async () => {
    const { dir, bin, env } = await newCase();
    await linkRealCli(join(bin, 'temporal'));
    await linkRealCli(cachedCliPath(env));
    const explicit = await linkRealCli(join(dir, 'explicit', 'temporal'));

    const resolved = await resolveTemporalCli({ log: () => {}, env: { ...env, TEMPORAL_CLI_PATH: explicit } });

    expect(resolved).toEqual({ path: explicit, source: 'TEMPORAL_CLI_PATH' });
  });

  it('rejects a TEMPORAL_CLI_PATH that is not an executable file instead of falling back', async () => {
    const { dir, bin, env } = await newCase();
    await linkRealCli(join(bin, 'temporal'));
    const notExecutable = join(dir, 'temporal-not-executable');
    await writeFile(notExecutable, 'not a binary');

    await expect(resolveTemporalCli({ log: () => {}, env: { ...env, TEMPORAL_CLI_PATH: notExecutable } })).rejects.toThrow(
      `TEMPORAL_CLI_PATH=${notExecutable} is not an executable file`,
    );
  });

  it('uses a temporal on PATH before the cache', async () => {
    const { bin, env } = await newCase();
    const onPath = await linkRealCli(join(bin, 'temporal'));
    await linkRealCli(cachedCliPath(env));

    const resolved = await resolveTemporalCli({ log: () => {}, env });

    expect(resolved).toEqual({ path: onPath, source: 'PATH' });
  });

  it('searches every PATH entry in order', async () => {
    const { dir, bin, env } = await newCase();
    const second = await linkRealCli(join(dir, 'second-bin', 'temporal'));

    const resolved = await resolveTemporalCli({ log: () => {}, env: { ...env, PATH: [bin, dirname(second)].join(delimiter) } });

    expect(resolved).toEqual({ path: second, source: 'PATH' });
  });

  it('uses a PATH temporal of another version but logs a note', async () => {
    const { bin, env } = await newCase();
    // A stand-in reporting another release: the real binary cannot be made to lie about its version.
    const other = join(bin, 'temporal');
    await writeFile(other, '#!/bin/sh\necho "temporal version 9.9.9 (Server 1.0.0, UI 1.0.0)"\n');
    await chmod(other, 0o755);
    const { lines, log } = collectingLog();

    const resolved = await resolveTemporalCli({ log, env });

    expect(resolved).toEqual({ path: other, source: 'PATH' });
    expect(lines.join('\n')).toContain(`is Temporal CLI 9.9.9, not the pinned ${TEMPORAL_CLI_VERSION}; using it anyway`);
  });

  it('logs no version note for a PATH temporal that is the pinned release', async (context) => {
    const { bin, env } = await newCase();
    await linkRealCli(join(bin, 'temporal'));
    // `go install` builds report 0.0.0-DEV; their Go build info is read with `go version -m`.
    const go = findGo();
    const isRelease = execFileSync(realCli, ['--version'], { encoding: 'utf8' }).includes(`version ${TEMPORAL_CLI_VERSION} `);
    if (!go && !isRelease) context.skip('the pinned version of a go-built CLI can only be read with `go` on PATH');
    const { lines, log } = collectingLog();

    await resolveTemporalCli({ log, env: go ? { ...env, PATH: [bin, dirname(go)].join(delimiter) } : env });

    expect(lines).toEqual([]);
  });

  it('uses the cached build when neither TEMPORAL_CLI_PATH nor PATH has one', async () => {
    const { env } = await newCase();
    await linkRealCli(cachedCliPath(env));

    const resolved = await resolveTemporalCli({ log: () => {}, env });

    expect(resolved).toEqual({ path: cachedCliPath(env), source: 'cache' });
  });

  it('ignores a cached file that does not run', async () => {
    const { env } = await newCase();
    await mkdir(temporalCacheDir(env), { recursive: true });
    await writeFile(cachedCliPath(env), '#!/bin/sh\nexit 3\n');
    await chmod(cachedCliPath(env), 0o755);

    await expect(resolveTemporalCli({ log: () => {}, env })).rejects.toThrow(/cached build at .*: absent or not runnable/);
  });

  it('with nothing available and installs disabled, throws an error naming every way out', async () => {
    const { env } = await newCase();

    const error = await resolveTemporalCli({ log: () => {}, env }).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );

    expect(error).toBeInstanceOf(Error);
    const message = error!.message;
    expect(message).toContain(`No Temporal CLI found (pinned version ${TEMPORAL_CLI_VERSION})`);
    expect(message).toContain('put `temporal` on PATH, or set TEMPORAL_CLI_PATH=');
    expect(message).toContain('set TEMPORAL_ADDRESS=host:port');
    expect(message).toContain('docker compose');
    expect(message).toContain(`disabled by ${NO_INSTALL_ENV}=1`);
    expect(message).toContain(`go install github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`);
  });

  // Opt-in: a cold build takes minutes. Reuses the machine's Go build and module caches.
  it.runIf(process.env.TRELLIS_TEST_GO_INSTALL === '1')(
    'builds the pinned CLI with go install into the cache when nothing else is found',
    async () => {
      const go = findGo();
      expect(go, '`go` must be on PATH for this test').toBeTruthy();
      const { env } = await newCase();
      const goEnv = (name: string) => execFileSync(go!, ['env', name], { encoding: 'utf8' }).trim();
      const { lines, log } = collectingLog();

      const resolved = await resolveTemporalCli({
        log,
        env: {
          ...env,
          [NO_INSTALL_ENV]: undefined,
          PATH: dirname(go!),
          GOCACHE: goEnv('GOCACHE'),
          GOMODCACHE: goEnv('GOMODCACHE'),
          GOPATH: goEnv('GOPATH'),
        },
      });

      expect(resolved).toEqual({ path: cachedCliPath(env), source: 'go-install' });
      expect(execFileSync(resolved.path, ['--version'], { encoding: 'utf8' })).toMatch(/^temporal version/);
      expect(lines.join('\n')).toMatch(/built the Temporal CLI in \d+\.\d s/);
    },
    900_000,
  );
});

/** The `go` binary on this process's PATH, if any. */
function findGo(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
