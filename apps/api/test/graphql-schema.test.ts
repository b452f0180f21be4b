/** The committed `apps/api/schema.graphql` is the schema the code builds, from every resolver. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAPHQL_RESOLVERS, printGraphqlSchema } from '@trellis/api';

const apiDir = new URL('..', import.meta.url).pathname;

describe('apps/api/schema.graphql', () => {
  it('matches the schema built from the code (run `npm run schema:graphql` after changing the API)', async () => {
    const committed = readFileSync(join(apiDir, 'schema.graphql'), 'utf8');
    expect(await printGraphqlSchema()).toBe(committed);
  });

  it('is built from every resolver class in src/modules', () => {
    const modulesDir = join(apiDir, 'src', 'modules');
    const files = (readdirSync(modulesDir, { recursive: true }) as string[]).filter((file) => file.endsWith('.resolver.ts'));
    const declared = files.flatMap((file) => [...readFileSync(join(modulesDir, file), 'utf8').matchAll(/@Resolver\(.*\)\s*export class (\w+)/g)].map((match) => match[1]));
    expect(declared.length).toBeGreaterThan(0);
    expect(GRAPHQL_RESOLVERS.map((resolver) => resolver.name).sort()).toEqual(declared.sort());
  });
});
