export { createAgentActivities, type AgentActivities } from './agent-activities.js';
export { runAgentTurn, outputInstruction } from './agent-turn.js';
export { invokeHttpTool } from './invoke-tool.js';
export { checkAgentOutput, parseModelJson, type AgentOutputCheck } from './output-check.js';
export { schemaProblems } from './schema-problems.js';
export { toGeminiParameters } from './gemini-schema.js';
export { toGeminiContents } from './gemini-chat.js';
export { toOpenAiMessages } from './openai-chat.js';

