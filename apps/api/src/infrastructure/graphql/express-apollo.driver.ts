import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type BaseContext, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

/** An Express request after Nest's JSON body parser ran. */
type ParsedRequest = IncomingMessage & { body?: unknown };
type ExpressMiddleware = (req: ParsedRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Nest's Apollo driver, serving Express through Apollo Server's documented integration API
 * (`executeHTTPGraphQLRequest`) instead of the `@as-integrations/express5` package, which
 * `@nestjs/apollo` loads at startup but which is not installed in this workspace.
 * Once that package is added to `apps/api`'s dependencies, use `ApolloDriver` and delete this class.
 */
@Injectable()
export class ExpressApolloDriver extends ApolloDriver {
  constructor(modulesContainer: ModulesContainer) {
    super(modulesContainer);
  }

  protected override async registerExpress(
    options: ApolloDriverConfig,
    { preStartHook }: { preStartHook?: () => void } = {},
  ): Promise<void> {
    const httpAdapter = this.httpAdapterHost.httpAdapter;
    preStartHook?.();
    const { path, typeDefs, resolvers, schema } = options;
    const server = new ApolloServer<BaseContext>({
      typeDefs,
      resolvers,
      schema,
      ...options,
      // Lets `app.close()` wait for in-flight GraphQL requests.
      plugins: [...(options.plugins ?? []), ApolloServerPluginDrainHttpServer({ httpServer: httpAdapter.getHttpServer() })],
    } as ConstructorParameters<typeof ApolloServer<BaseContext>>[0]);
    await server.start();
    httpAdapter.use(path ?? '/graphql', graphqlMiddleware(server, options.context));
    this.apolloServer = server;
  }
}

function graphqlMiddleware(server: ApolloServer<BaseContext>, context: ApolloDriverConfig['context']): ExpressMiddleware {
  return (req, res, next) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const queryStart = (req.url ?? '').indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: queryStart === -1 ? '' : (req.url ?? '').slice(queryStart),
      // Apollo requires a body on every request; the JSON parser leaves it unset for empty payloads.
      body: req.body ?? {},
    };
    server
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () => (typeof context === 'function' ? await context({ req, res }) : (context ?? {})),
      })
      .then(async (response) => {
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === 'complete') {
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      })
      .catch(next);
  };
}
