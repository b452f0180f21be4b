/** The `code` connector: sandboxed JavaScript (QuickJS in a worker thread). */
export { codeConnector } from './code-connector.js';
export {
  codeConfigSchema,
  CODE_DEFAULT_MEMORY_MB,
  CODE_DEFAULT_TIMEOUT,
  CODE_MAX_MEMORY_MB,
  CODE_MAX_RESULT_BYTES,
  CODE_MAX_TIMEOUT_MS,
  type CodeConfig,
} from './config.js';
