/**
 * The `agent` node: a tool-calling loop in which every LLM turn and every tool call is its own activity
 * (or child run), so a crash resumes from history without repeating completed turns or calls. Budgets are
 * hard: running out of turns or tokens FAILS the node, it is never reported as a success.
 */
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { AgentMessage, AgentToolCall, AgentTurnResult } from '../../activity-contract.js';
import type { NodeSpec } from '../../dag-schema.js';
import { renderTemplates, type ExpressionContext } from '../../expressions.js';
import { agentExecutor } from '../../workflow/activities.js';
import { describeNodeError } from '../../workflow/failures.js';
import type { NodeOutcome, NodeScope } from '../../workflow/interpreter.js';
import { runIdentity, type RunEnvironment } from '../../workflow/run-environment.js';
import { runSubflow } from '../../workflow/subflow.js';
import { renderedConfigOf, type NodeTypePerformer } from '../../workflow/type-performer.js';
import { agentNodeType, type AgentConfig, type AgentToolConfig } from './index.js';

/** One tool call as reported in the node's output. */
export interface AgentToolCallRecord {
  name: string;
  arguments: unknown;
  result: unknown;
}

/** Output of an `agent` node. */
export interface AgentOutput {
  text: string;
  /** The parsed answer, when `outputSchema` is set. */
  json?: unknown;
  /** LLM calls made, including a repair turn. */
  turns: number;
  toolCalls: AgentToolCallRecord[];
  usage: { inputTokens: number; outputTokens: number };
}

/** Activity failure types that mean a tool is misconfigured, not that the model erred: they fail the node. */
const TOOL_CONFIG_FAILURES: ReadonlySet<string> = new Set(['AgentNotFound', 'AgentVersionNotFound', 'ConfigError']);

/**
 * Runs the loop to a final answer.
 * @throws ApplicationFailure `AgentMaxTurnsExceeded`, `AgentTokenBudgetExceeded`, `AgentOutputInvalid`
 *   (non-retryable), or the failure of an `agentTurn` activity after its retries.
 */
export const performAgent: NodeTypePerformer = async (env, node, scope) => runAgentNode(env, node, await renderedConfigOf(agentNodeType, node, scope), scope);

async function runAgentNode(env: RunEnvironment, node: NodeSpec, config: AgentConfig, scope: NodeScope): Promise<NodeOutcome> {
  const activities = agentExecutor(node);
  const tools = new Map(config.tools.map((tool) => [tool.name, tool]));
  const definitions = config.tools.map(({ name, description, parameters }) => ({ name, description, parameters }));
  const messages: AgentMessage[] = [{ role: 'user', content: config.prompt }];
  const toolCalls: AgentToolCallRecord[] = [];
  const usage = { inputTokens: 0, outputTokens: 0 };
  let turns = 0;
  let repaired = false;

  for (;;) {
    const used = usage.inputTokens + usage.outputTokens;
    const turn: AgentTurnResult = await activities.agentTurn({
      ...runIdentity(env),
      nodeId: node.id,
      provider: config.provider,
      model: config.model,
      system: config.system,
      messages,
      tools: definitions,
      temperature: config.temperature,
      maxOutputTokens: config.maxTokens === undefined ? undefined : Math.max(1, config.maxTokens - used),
      outputSchema: config.outputSchema,
      ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
      ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
    });
    turns += 1;
    usage.inputTokens += turn.usage.inputTokens;
    usage.outputTokens += turn.usage.outputTokens;
    messages.push(turn.message);
    const total = usage.inputTokens + usage.outputTokens;
    if (config.maxTokens !== undefined && total > config.maxTokens) {
      throw budgetFailure('AgentTokenBudgetExceeded', `used ${total} tokens, more than maxTokens (${config.maxTokens})`, turns, usage);
    }

    const calls = turn.message.toolCalls ?? [];
    if (calls.length === 0) {
      const text = turn.message.content ?? '';
      if (config.outputSchema === undefined) return done({ text, turns, toolCalls, usage });
      const check = turn.outputCheck;
      if (check?.ok) return done({ text, json: check.json, turns, toolCalls, usage });
      const problems = check ? check.problems.join('; ') : 'the answer was not checked';
      if (repaired) throw budgetFailure('AgentOutputInvalid', `the final answer does not match outputSchema: ${problems}`, turns, usage);
      if (turns >= config.maxTurns) {
        throw budgetFailure('AgentMaxTurnsExceeded', `no turn left (maxTurns ${config.maxTurns}) to repair an answer that does not match outputSchema: ${problems}`, turns, usage);
      }
      repaired = true;
      messages.push({ role: 'user', content: `Your answer does not match the required JSON Schema: ${problems}. Reply with only the corrected JSON value.` });
      continue;
    }
    // Tools are not called when their results could never reach the model.
    if (turns >= config.maxTurns) {
      throw budgetFailure('AgentMaxTurnsExceeded', `reached maxTurns (${config.maxTurns}) while the model still calls tools`, turns, usage);
    }
    for (const call of calls) {
      const result = await callTool(env, node, scope, tools.get(call.name), call, activities, config.tools);
      toolCalls.push({ name: call.name, arguments: call.arguments, result });
      messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(result) ?? 'null' });
    }
  }
}

function done(output: AgentOutput): NodeOutcome {
  return { output, attempts: 1 };
}

function budgetFailure(type: string, message: string, turns: number, usage: AgentOutput['usage']): ApplicationFailure {
  return ApplicationFailure.create({ message, type, nonRetryable: true, details: [{ turns, usage }] });
}

/**
 * Makes one tool call and returns what the model is told: the tool's result, or `{ error }` when the call
 * was refused (unknown tool, invalid arguments, rejected by a person) or failed after its retries.
 */
async function callTool(
  env: RunEnvironment,
  node: NodeSpec,
  scope: NodeScope,
  tool: AgentToolConfig | undefined,
  call: AgentToolCall,
  activities: ReturnType<typeof agentExecutor>,
  all: readonly AgentToolConfig[],
): Promise<unknown> {
  if (!tool) return { error: `unknown tool "${call.name}"; available tools: ${all.map((t) => t.name).join(', ') || 'none'}` };
  if (tool.requireApproval) {
    if (!env.approvals) {
      throw ApplicationFailure.create({ message: `tool "${tool.name}" requires approval, which cannot wait inside a forEach body`, type: 'ConfigError', nonRetryable: true });
    }
    const decision = await env.approvals.await(
      node.id,
      { message: `Allow the agent to call "${tool.name}" with ${JSON.stringify(call.arguments)}?`, onTimeout: 'reject' },
      scope,
      { tool: tool.name, arguments: call.arguments, toolCallId: call.id },
    );
    scope.update({ status: 'RUNNING' });
    if (!decision.approved) return { error: `a person rejected this call${decision.comment ? `: ${decision.comment}` : ''}` };
  }
  try {
    if (tool.http !== undefined) {
      let request: unknown;
      try {
        const context = { ...scope.context, args: call.arguments } as ExpressionContext;
        request = await renderTemplates(tool.http, context);
      } catch (error) {
        return { error: `could not build the request from the arguments: ${(error as Error).message}` };
      }
      const outcome = await activities.invokeTool({
        ...runIdentity(env),
        nodeId: node.id,
        tool: tool.name,
        parameters: tool.parameters,
        arguments: call.arguments,
        http: request,
      });
      return outcome.ok ? outcome.result : { error: outcome.error };
    }
    const outcome = await runSubflow(env, { agent: tool.agent!, input: call.arguments, argumentsSchema: tool.parameters });
    if (outcome.ok) return outcome.output;
    return { error: `${outcome.message}: ${outcome.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}` };
  } catch (error) {
    if (isCancellation(error)) throw error;
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && TOOL_CONFIG_FAILURES.has(error.cause.type ?? '')) throw error;
    return { error: describeNodeError(error).message };
  }
}
