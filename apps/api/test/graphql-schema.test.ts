/**
 * The committed `apps/api/schema.graphql` is the schema the code builds, from every resolver, and every
 * part of that schema carries a description.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
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

describe('the GraphQL schema', () => {
  it('describes every type, field, argument, input field and enum value', async () => {
    expect(undescribedPaths(buildSchema(await printGraphqlSchema()))).toEqual([]);
  });
});

/**
 * The schema coordinates (`Type`, `Type.field`, `Type.field(argument)`, `Enum.VALUE`) that have no
 * description. The built-in scalars and introspection types are described by the GraphQL spec, not here.
 */
function undescribedPaths(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (path: string, description: string | null | undefined): void => {
    if (!description?.trim()) missing.push(path);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing.sort();
}
