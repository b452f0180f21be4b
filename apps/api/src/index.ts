export { createApi, type CreateApiOptions, type RunningApi } from './app.js';
export { loadApiConfigFromEnv, type ApiConfig, ConfigurationError } from './infrastructure/config/api-config.js';
export { signDecisionToken, verifyDecisionToken } from './modules/approvals/services/decision-token.js';
export { GRAPHQL_RESOLVERS, printGraphqlSchema } from './graphql-schema.js';
export { generateApiKey, type GeneratedApiKey } from './modules/identity/credentials/api-key-format.js';
export { HTTP_CONTROLLERS } from './http-controllers.js';
export { ACCESS_DECLARATION, type AccessDeclaration } from './modules/identity/access/access-declaration.js';
export { PERMISSIONS, ROLES, roleAllows, type Permission, type Role } from './modules/identity/permissions.js';
export { WORKSPACE_SCOPED_MODELS, WORKSPACE_UNSCOPED_MODELS } from './infrastructure/prisma/workspace-scope.extension.js';
