export { llmConnector } from './llm-connector.js';
export { llmConfigSchema, type LlmCompletion, type LlmConfig, type LlmOutput, type LlmProvider, type LlmUsage } from './config.js';
export { completeWithOpenAi } from './openai.js';
export { completeWithGemini } from './gemini.js';
