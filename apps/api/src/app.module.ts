import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { Logger } from 'pino';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { createErrorLoggingPlugin } from './common/graphql/error-logging.plugin.js';
import { formatLimitErrors, queryCostPlugin, queryLimitRules } from './common/graphql/query-limits.js';
import { describeRootTypes } from './common/graphql/root-type-descriptions.js';
import { GraphqlExceptionFilter } from './common/graphql/graphql-exception.filter.js';
import type { ApiConfig } from './infrastructure/config/api-config.js';
import { ConfigModule } from './infrastructure/config/config.module.js';
import { LoggingModule } from './infrastructure/logging/logging.module.js';
import { PrismaModule } from './infrastructure/prisma/prisma.module.js';
import { TemporalModule } from './infrastructure/temporal/temporal.module.js';
import { AgentsModule } from './modules/agents/agents.module.js';
import { ApiKeysModule } from './modules/api-keys/api-keys.module.js';
import { SecretsModule } from './modules/secrets/secrets.module.js';
import { ApprovalsModule } from './modules/approvals/approvals.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { CodecModule } from './modules/codec/codec.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { authenticateSocket } from './modules/identity/access/socket-authentication.js';
import { graphqlContext } from './modules/identity/access/graphql-context.js';
import { PrincipalResolverService } from './modules/identity/access/principal-resolver.service.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { SessionsModule } from './modules/identity/sessions/sessions.module.js';
import { NodeTypesModule } from './modules/node-types/node-types.module.js';
import { RunEventsModule } from './modules/run-events/run-events.module.js';
import { RunsModule } from './modules/runs/runs.module.js';
import { SchedulesModule } from './modules/schedules/schedules.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';
import { WorkspacesModule } from './modules/workspaces/workspaces.module.js';

/** Root module: infrastructure, the code-first GraphQL schema at `/graphql`, domain modules and `/healthz`. */
@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        PrismaModule,
        TemporalModule,
        IdentityModule,
        AuditModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [PrincipalResolverService],
          useFactory: (principals: PrincipalResolverService): ApolloDriverConfig => ({
          path: '/graphql',
          // Schema built in memory from the decorators; `DateTime` is the ISO-8601 date-time scalar.
          autoSchemaFile: true,
          buildSchemaOptions: { dateScalarMode: 'isoDate' },
          sortSchema: true,
          // The decorators describe every type but the root ones, which Nest creates without a description.
          transformSchema: describeRootTypes,
          // Field resolvers (`Run.childRuns(first:)`, `Run.agent`…) go through the exception filter too, so their
          // errors get the same codes and masking as queries and mutations, and run in the request's context.
          // The access guard is for root fields only: a field resolver reads what its parent returned.
          fieldResolverEnhancers: ['filters', 'interceptors'],
          // Never send stack traces, whatever NODE_ENV says.
          includeStacktraceInErrorResponses: false,
          plugins: [
            createErrorLoggingPlugin(logger),
            queryCostPlugin(config.limits.graphqlMaxCost),
            // The sandbox needs introspection; production serves neither unless TRELLIS_GRAPHQL_INTROSPECTION=true.
            config.limits.introspection ? ApolloServerPluginLandingPageLocalDefault() : ApolloServerPluginLandingPageDisabled(),
          ],
          playground: false,
          // Keep the 429 a rate-limited request is answered with (Nest would reset execution errors to 200).
          preserveHttpStatusForExecutionErrors: false,
          introspection: config.limits.introspection,
          validationRules: queryLimitRules(config.limits),
          parseOptions: { maxTokens: config.limits.graphqlMaxTokens },
          formatError: formatLimitErrors(config.limits.graphqlMaxTokens),
          context: graphqlContext,
          // Subscriptions (`runEvents`, `runUpdated`) over the graphql-ws protocol on the same path and HTTP server;
          // a socket is authenticated once, at `connection_init`, and closed with 4401 without valid credentials.
          subscriptions: { 'graphql-ws': { onConnect: (context) => authenticateSocket(principals, context) } },
          }),
        }),
        AgentsModule,
        ApiKeysModule,
        SecretsModule,
        RunsModule,
        ApprovalsModule,
        HealthModule,
        CodecModule,
        NodeTypesModule,
        RunEventsModule,
        SchedulesModule,
        SessionsModule,
        WebhooksModule,
        WorkspacesModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: GraphqlExceptionFilter }],
    };
  }
}
