/** Config and output shapes of the `llm` connector, shared by its providers. */
import { z } from 'zod';

export const llmConfigSchema = z.strictObject({
  provider: z.enum(['openai', 'gemini']),
  model: z.string().min(1),
  system: z.string().optional(),
  prompt: z.string().min(1),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  /** `json` turns on the provider's JSON mode and parses the answer into `json`. */
  responseFormat: z.enum(['text', 'json']).default('text'),
  /** The provider key, usually `{{ secrets.NAME }}`; absent: the worker's own key, for its one workspace only. */
  apiKey: z.string().min(1).optional(),
  /** The provider's base URL (an OpenAI-compatible server ending in `/v1`, or Gemini's origin); absent: the worker's or the provider's. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be a valid http or https URL' }).optional(),
});

/** Parsed config of an `llm` node. */
export type LlmConfig = z.output<typeof llmConfigSchema>;

/** Name of a supported provider. */
export type LlmProvider = LlmConfig['provider'];

/** Token counts reported by the provider (0 when it reports none). */
export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What a provider returns for one completion, before JSON parsing. */
export interface LlmCompletion {
  text: string;
  /** The model that answered, as named by the provider. */
  model: string;
  usage: LlmUsage;
}

/** Output of an `llm` node. */
export interface LlmOutput extends LlmCompletion {
  /** The parsed `text`, present when `responseFormat` is `json`. */
  json?: unknown;
}
