/** Which workspace may spend the worker's own provider keys. */
import type { PrismaClient } from '@trellis/db';

/** The provider keys of the worker's environment: given to one workspace's runs only. */
export const ENV_PROVIDER_KEYS = ['OPENAI_API_KEY', 'GEMINI_API_KEY'] as const;

/**
 * The environment of a workspace's runs: the worker's own, without {@link ENV_PROVIDER_KEYS} unless the
 * workspace is the one named by `TRELLIS_ENV_KEYS_WORKSPACE` (its id or name; default: the oldest workspace).
 * A run without a workspace (recorded before workspaces existed) keeps the keys. Other workspaces set an
 * `apiKey` on their nodes, so no tenant spends another's (or the operator's) keys by accident.
 */
export function providerEnvByWorkspace(
  prisma: PrismaClient,
  env: Record<string, string | undefined>,
): (workspaceId: string | undefined) => Promise<Record<string, string | undefined>> {
  const withoutKeys = Object.fromEntries(Object.entries(env).filter(([name]) => !(ENV_PROVIDER_KEYS as readonly string[]).includes(name)));
  let owner: Promise<string | null> | undefined;
  const ownerId = () => {
    owner ??= findOwner(prisma, env.TRELLIS_ENV_KEYS_WORKSPACE?.trim()).catch((error: unknown) => {
      owner = undefined;
      throw error;
    });
    return owner;
  };
  return async (workspaceId) => {
    if (workspaceId === undefined) return env;
    return (await ownerId()) === workspaceId ? env : withoutKeys;
  };
}

async function findOwner(prisma: PrismaClient, named: string | undefined): Promise<string | null> {
  if (named) {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(named);
    const found = await prisma.workspace.findFirst({ where: isUuid ? { OR: [{ id: named }, { name: named }] } : { name: named }, select: { id: true } });
    return found?.id ?? null;
  }
  const oldest = await prisma.workspace.findFirst({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
  return oldest?.id ?? null;
}
