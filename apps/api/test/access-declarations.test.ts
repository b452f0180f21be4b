/**
 * Deny by default, checked statically: every GraphQL root field and every REST route declares who may call
 * it, and the declarations cover exactly the fields of the built schema.
 */
import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ACCESS_DECLARATION, type AccessDeclaration, GRAPHQL_RESOLVERS, HTTP_CONTROLLERS, PERMISSIONS, printGraphqlSchema } from '@trellis/api';

const modulesDir = join(new URL('..', import.meta.url).pathname, 'src', 'modules');
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ALL', 'OPTIONS', 'HEAD'];

type Class = new (...args: never[]) => unknown;

/** Methods of a class's prototype, with their functions. */
function methodsOf(target: Class): [string, object][] {
  const prototype = target.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor' && typeof prototype[name] === 'function')
    .map((name) => [name, prototype[name] as object]);
}

/** A method's declaration, or its class's (as the guard reads them: the method's wins). */
function declarationOf(target: Class, method: object): AccessDeclaration | undefined {
  return (Reflect.getMetadata(ACCESS_DECLARATION, method) ?? Reflect.getMetadata(ACCESS_DECLARATION, target)) as AccessDeclaration | undefined;
}

function isValid(declaration: AccessDeclaration | undefined): boolean {
  if (declaration === undefined) return false;
  if (declaration.kind === 'permission') return PERMISSIONS.includes(declaration.permission);
  if (declaration.kind === 'public') return declaration.reason.length > 0;
  return declaration.kind === 'signedIn';
}

/** Class names declared in the module files ending with `suffix`, matched by `pattern`. */
function declaredClasses(suffix: string, pattern: RegExp): string[] {
  const files = (readdirSync(modulesDir, { recursive: true }) as string[]).filter((file) => file.endsWith(suffix));
  return files.flatMap((file) => [...readFileSync(join(modulesDir, file), 'utf8').matchAll(pattern)].map((match) => match[1])).sort();
}

describe('access declarations', () => {
  it('cover every Query, Mutation and Subscription field of the schema, each with a valid rule', async () => {
    const schema = buildSchema(await printGraphqlSchema());
    const schemaFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`) : [],
    );
    const declared = new Map<string, AccessDeclaration | undefined>();
    for (const resolver of GRAPHQL_RESOLVERS) {
      for (const [name, method] of methodsOf(resolver)) {
        const type = Reflect.getMetadata('graphql:resolver_type', method) as string | undefined;
        if (type === undefined || !ROOT_TYPES.has(type)) continue;
        const field = (Reflect.getMetadata('graphql:resolver_name', method) as string | undefined) ?? name;
        declared.set(`${type}.${field}`, declarationOf(resolver, method));
      }
    }
    expect([...declared.keys()].sort()).toEqual(schemaFields.sort());
    const undeclared = [...declared].filter(([, declaration]) => !isValid(declaration)).map(([field]) => field);
    expect(undeclared).toEqual([]);
  });

  it('cover every REST route, and the controller list is complete', () => {
    expect(HTTP_CONTROLLERS.map((controller) => controller.name).sort()).toEqual(declaredClasses('.controller.ts', /@Controller\([^)]*\)[\s\S]*?export class (\w+)/g));
    const routes: string[] = [];
    for (const controller of HTTP_CONTROLLERS) {
      for (const [name, method] of methodsOf(controller)) {
        const requestMethod = Reflect.getMetadata('method', method) as number | undefined;
        if (requestMethod === undefined) continue;
        routes.push(`${HTTP_METHODS[requestMethod]} ${controller.name}.${name}`);
        expect(isValid(declarationOf(controller, method)), `${controller.name}.${name}`).toBe(true);
      }
    }
    // Health, the webhook receiver, the decision link's page and form (public), and the codec (ADMIN).
    expect(routes.sort()).toEqual([
      'GET ApprovalDecisionController.show',
      'GET HealthController.healthz',
      'POST ApprovalDecisionController.decide',
      'POST CodecController.decode',
      'POST CodecController.encode',
      'POST WebhooksController.receive',
    ]);
  });

  it('mark as public only the routes that carry their own proof', () => {
    const publicHandlers = [...GRAPHQL_RESOLVERS, ...HTTP_CONTROLLERS].flatMap((target) =>
      methodsOf(target)
        .filter(([, method]) => declarationOf(target, method)?.kind === 'public' && (Reflect.getMetadata('method', method) !== undefined || Reflect.getMetadata('graphql:resolver_type', method) !== undefined))
        .map(([name]) => `${target.name}.${name}`),
    );
    // Besides those routes, the ways in: signing in with a password, redeeming the one-time setup token or an invitation.
    expect(publicHandlers.sort()).toEqual([
      'ApprovalDecisionController.decide',
      'ApprovalDecisionController.show',
      'HealthController.healthz',
      'SessionsResolver.login',
      'SessionsResolver.setupOwner',
      'WebhooksController.receive',
      'WorkspacesResolver.acceptInvitation',
    ]);
  });
});
