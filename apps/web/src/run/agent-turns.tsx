/** What an `agent` node's output records of its loop (see `AgentOutput` of the interpreter). */
interface AgentOutputShape {
  text?: string;
  turns?: number;
  toolCalls?: { name: string; arguments: unknown; result: unknown }[];
  usage?: { inputTokens: number; outputTokens: number };
}

function isAgentOutput(value: unknown): value is AgentOutputShape {
  return typeof value === 'object' && value !== null && 'turns' in value && Array.isArray((value as AgentOutputShape).toolCalls);
}

/** An `agent` node's loop: turns, token usage, each tool call with its arguments and result, and the answer. */
export function AgentTurns({ output }: { output: unknown }) {
  if (!isAgentOutput(output)) return <p className="hint">The agent has not answered yet.</p>;
  const usage = output.usage ?? { inputTokens: 0, outputTokens: 0 };
  return (
    <div className="agent-turns" aria-label="Agent turns">
      <p>
        {output.turns} {output.turns === 1 ? 'turn' : 'turns'} · {usage.inputTokens} input + {usage.outputTokens} output tokens ·{' '}
        {output.toolCalls?.length ?? 0} {output.toolCalls?.length === 1 ? 'tool call' : 'tool calls'}
      </p>
      <ol>
        {output.toolCalls?.map((call, index) => (
          <li key={index} data-tool={call.name}>
            <strong>{call.name}</strong>
            <div className="side-by-side">
              <pre aria-label="Arguments">{JSON.stringify(call.arguments, null, 2)}</pre>
              <pre aria-label="Result">{JSON.stringify(call.result, null, 2)}</pre>
            </div>
          </li>
        ))}
        <li>
          <strong>Answer</strong>
          <pre aria-label="Answer">{output.text}</pre>
        </li>
      </ol>
    </div>
  );
}
