import { z } from 'zod';
import { agentReferenceSchema } from '../agent-reference.js';
import { defineNodeType } from '../node-type.js';
import { isRecord } from '../../validation/dag-views.js';
import type { ValidationIssue } from '../../validation/issues.js';

/** Tool names as OpenAI accepts them (`^[a-zA-Z0-9_-]{1,64}$`); Gemini accepts the same set. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Upper bound on `maxTurns`, so one node cannot loop for hours. */
export const MAX_AGENT_TURNS = 100;

/**
 * A tool the model may call. Backed by exactly one of:
 * - `http`: an `http` node config whose templates see `args` (the call's arguments), `input` and `nodes`;
 * - `agent`: another agent, run as a sub-flow with the arguments as its input.
 *
 * `parameters` is the JSON Schema of the arguments; calls that do not match it are refused and the model is
 * told why. `requireApproval` pauses the run on an approval before the call is made.
 */
export const agentToolSchema = z
  .strictObject({
    name: z.string().regex(TOOL_NAME_PATTERN, 'must match ^[A-Za-z0-9_-]{1,64}$'),
    description: z.string().min(1),
    parameters: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }),
    requireApproval: z.boolean().default(false),
    http: z.record(z.string(), z.unknown()).optional(),
    agent: agentReferenceSchema.optional(),
  })
  .superRefine((tool, context) => {
    if ((tool.http === undefined) === (tool.agent === undefined)) {
      context.addIssue({ code: 'custom', path: [], message: 'needs exactly one of "http" or "agent"' });
    }
  });

export type AgentToolConfig = z.infer<typeof agentToolSchema>;

/**
 * Config of an `agent` node: a durable tool-calling loop. Each LLM turn and each tool call is its own
 * activity, so a crash resumes without repeating them.
 *
 * - `maxTurns`: LLM calls allowed; the node FAILS (`AgentMaxTurnsExceeded`) if the model still wants tools.
 * - `maxTokens`: total tokens (input + output, summed over turns); the node FAILS (`AgentTokenBudgetExceeded`) past it.
 * - `outputSchema`: the final answer must be JSON matching it; one repair turn is allowed (counted in `maxTurns`).
 */
export const agentConfigSchema = z
  .strictObject({
    provider: z.enum(['openai', 'gemini']),
    model: z.string().min(1),
    system: z.string().optional(),
    prompt: z.string().min(1),
    tools: z.array(agentToolSchema).default([]),
    maxTurns: z.number().int().min(1).max(MAX_AGENT_TURNS),
    maxTokens: z.number().int().positive().optional(),
    temperature: z.number().min(0).max(2).optional(),
    outputSchema: z.record(z.string(), z.unknown()).optional(),
    /** The provider key, usually `{{ secrets.NAME }}`; absent: the worker's own key, for its one workspace only. */
    apiKey: z.string().min(1).optional(),
    /** The provider's base URL (OpenAI-compatible `…/v1`, or Gemini's origin); absent: the worker's or the provider's. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be a valid http or https URL' }).optional(),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.tools.forEach((tool, index) => {
      if (seen.has(tool.name)) context.addIssue({ code: 'custom', path: ['tools', index, 'name'], message: `duplicate tool name "${tool.name}"` });
      seen.add(tool.name);
    });
  });

export type AgentConfig = z.infer<typeof agentConfigSchema>;

/**
 * The `agent` node. Its tools are rendered per call (with `args` in scope) and its `outputSchema` is a
 * document, so neither is rendered before the node runs; the tools' templates, their `http` configs and
 * every JSON Schema are checked here.
 */
export const agentNodeType = defineNodeType({
  type: 'agent',
  description: 'A durable tool-calling loop: an LLM answers `prompt`, calling `http` or agent tools, within `maxTurns` and `maxTokens`.',
  configSchema: agentConfigSchema,
  unrenderedFields: ['tools', 'outputSchema'],
  notInLoopBody: null,
  check(node, context) {
    const issues: ValidationIssue[] = [];
    const { tools, outputSchema } = node.config;
    if (Array.isArray(tools)) {
      issues.push(...context.checkTemplates(tools, ['tools']));
      tools.forEach((tool: unknown, index) => {
        if (!isRecord(tool)) return;
        if (isRecord(tool.http)) issues.push(...context.checkConfigOf('http', tool.http, ['tools', index, 'http']));
        if (isRecord(tool.parameters)) issues.push(...context.checkJsonSchema(tool.parameters, ['tools', index, 'parameters']));
      });
    }
    if (isRecord(outputSchema)) issues.push(...context.checkJsonSchema(outputSchema, ['outputSchema']));
    return issues;
  },
});
