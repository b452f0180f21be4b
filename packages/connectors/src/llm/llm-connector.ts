/** The `llm` connector: one prompt to OpenAI or Gemini, with optional JSON output. */
import { defineConnector, type ConnectorContext } from '../connector.js';
import { ConnectorError, ConnectorErrorType, truncateText } from '../errors.js';
import { llmConfigSchema, type LlmCompletion, type LlmConfig, type LlmOutput, type LlmProvider } from './config.js';
import { completeWithGemini } from './gemini.js';
import { completeWithOpenAi } from './openai.js';

const providers: Record<LlmProvider, (config: LlmConfig, context: ConnectorContext) => Promise<LlmCompletion>> = {
  openai: completeWithOpenAi,
  gemini: completeWithGemini,
};

/**
 * Sends `system` + `prompt` to the configured provider and returns `{ text, json?, model, usage }`.
 *
 * @throws ConnectorError `ConfigError` (missing API key), `LlmProviderError` (provider failure),
 *   `LlmInvalidJson` (retryable: `responseFormat` is `json` and the text does not parse).
 */
export const llmConnector = defineConnector({
  type: 'llm',
  description: 'Sends a prompt to an LLM (OpenAI or Gemini) and returns its text, optionally parsed as JSON.',
  configSchema: llmConfigSchema,
  async execute(config, context): Promise<LlmOutput> {
    const completion = await providers[config.provider](config, context);
    if (config.responseFormat !== 'json') return completion;
    return { ...completion, json: parseModelJson(completion.text, config.provider) };
  },
});

function parseModelJson(text: string, provider: LlmProvider): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConnectorError({
      type: ConnectorErrorType.LlmInvalidJson,
      message: `${provider} answered invalid JSON: ${(error as Error).message}`,
      retryable: true,
      data: { provider, text: truncateText(text) },
      cause: error,
    });
  }
}
