export { createApi, type CreateApiOptions, type RunningApi } from './app.js';
export { loadApiConfigFromEnv, type ApiConfig, ConfigurationError } from './infrastructure/config/api-config.js';
export { signDecisionToken, verifyDecisionToken } from './modules/approvals/services/decision-token.js';
export { GRAPHQL_RESOLVERS, printGraphqlSchema } from './graphql-schema.js';
