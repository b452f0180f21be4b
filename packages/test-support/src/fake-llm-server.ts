/**
 * A fake LLM provider for tests, faked at the wire protocol so the real `openai` and
 * `@google/generative-ai` SDKs run against it unchanged.
 *
 * It speaks:
 * - OpenAI chat completions: `POST {openaiBaseUrl}/chat/completions` (non-streaming).
 * - Gemini: `POST {geminiBaseUrl}/v1beta/models/{model}:generateContent` (non-streaming).
 *
 * Replies are queued per provider with {@link FakeLlmServer.enqueue} and used first in, first out.
 * With an empty queue it answers deterministically: `echo: <last user message>`, or, when the request
 * asks for JSON (OpenAI `response_format.type` `json_object`/`json_schema`, Gemini `responseMimeType`
 * `application/json`), the JSON text `{"echo":"<last user message>"}`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { startHttpFixture, type RecordedRequest, type ScriptedResponse } from './http-fixture.js';

/** The wire protocols the fake speaks: OpenAI chat completions, Gemini `generateContent`. */
export type FakeLlmProvider = 'openai' | 'gemini';

/** Token counts to report; default: whitespace-separated word counts of the prompt and the answer. */
export interface FakeLlmUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A queued answer. */
export type FakeLlmReply =
  /** A plain text answer. */
  | { text: string; usage?: FakeLlmUsage }
  /** Tool calls: OpenAI `message.tool_calls` / Gemini `functionCall` parts. `arguments` objects are JSON-encoded for OpenAI. */
  | {
      /** `thoughtSignature` is put on the Gemini part (as Gemini 3 models do); OpenAI ignores it. */
      toolCalls: Array<{ name: string; arguments: Record<string, unknown> | string; thoughtSignature?: string }>;
      usage?: FakeLlmUsage;
    }
  /** An HTTP error in the provider's error format, with optional extra response headers (e.g. `retry-after`). */
  | { status: number; error: string; headers?: Record<string, string> };

/** One request the server received. */
export interface FakeLlmRequest {
  provider: FakeLlmProvider;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  /** The parsed JSON body (or the raw text if it was not JSON; `undefined` when empty). */
  body: unknown;
}

/** A running fake provider; see {@link startFakeLlmServer}. */
export interface FakeLlmServer {
  /** Base URL for the OpenAI SDK (`baseURL` / `OPENAI_BASE_URL`); ends with `/v1`. */
  openaiBaseUrl: string;
  /** Base URL for the Gemini SDK (`baseUrl` / `GEMINI_BASE_URL`): the origin, without a version. */
  geminiBaseUrl: string;
  /** Every request to one of the two routes, in arrival order (live). */
  requests: FakeLlmRequest[];
  /** Queues the next answer for `provider`; answers are used first in, first out. */
  enqueue(provider: FakeLlmProvider, reply: FakeLlmReply): void;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

const GEMINI_PATH = /^\/v1beta\/models\/([^/:]+):generateContent$/;

/**
 * Starts a fake provider: an {@link HttpFixture} on `127.0.0.1` on a free port whose only routes are
 * the two above; any other request gets 404 with an error body, and is not in `requests`.
 *
 * @returns the running server; always `await server.close()`.
 * @throws the listen error if the server cannot bind.
 */
export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const requests: FakeLlmRequest[] = [];
  const queues: Record<FakeLlmProvider, FakeLlmReply[]> = { openai: [], gemini: [] };
  let sequence = 0;

  const answer = (request: RecordedRequest): ScriptedResponse => {
    const pathname = request.path.split('?')[0];
    const provider: FakeLlmProvider | undefined =
      request.method === 'POST' && pathname === '/v1/chat/completions' ? 'openai'
      : request.method === 'POST' && GEMINI_PATH.test(pathname) ? 'gemini'
      : undefined;
    if (provider === undefined) {
      return { status: 404, body: { error: { message: `fake LLM server: no route for ${request.method} ${pathname}` } } };
    }
    requests.push({ provider, path: request.path, headers: flattenHeaders(request.headers), body: request.body });
    sequence += 1;
    const reply = queues[provider].shift();
    return provider === 'openai'
      ? answerOpenAi(request.body as OpenAiRequest, reply, sequence)
      : answerGemini(request.body as GeminiRequest, decodeURIComponent(GEMINI_PATH.exec(pathname)![1]!), reply);
  };
  const fixture = await startHttpFixture({ fallback: answer });

  return {
    openaiBaseUrl: `${fixture.url}/v1`,
    geminiBaseUrl: fixture.url,
    requests,
    enqueue(provider, reply) {
      queues[provider].push(reply);
    },
    close: fixture.close,
  };
}

/**
 * The fields of an OpenAI chat-completions request body that tests look at (cast `FakeLlmRequest.body` to it).
 * Only what the SDK may send; the server does not check it.
 */
export interface FakeOpenAiRequestBody {
  model?: string;
  messages?: Array<{
    role: string;
    content: unknown;
    tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }>;
  temperature?: number;
  max_completion_tokens?: number;
  response_format?: { type?: string };
}

/** The fields of a Gemini `generateContent` request body that tests look at (cast `FakeLlmRequest.body` to it). */
export interface FakeGeminiRequestBody {
  contents?: Array<{
    role?: string;
    parts?: Array<{
      text?: string;
      functionCall?: { name: string; args?: Record<string, unknown> };
      functionResponse?: { name: string; response: Record<string, unknown> };
    }>;
  }>;
  systemInstruction?: { role?: string; parts?: Array<{ text?: string }> };
  tools?: Array<{ functionDeclarations?: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }> }>;
  generationConfig?: { temperature?: number; maxOutputTokens?: number; responseMimeType?: string };
}

type OpenAiRequest = FakeOpenAiRequestBody;
type GeminiRequest = FakeGeminiRequestBody;

function answerOpenAi(request: OpenAiRequest, reply: FakeLlmReply | undefined, sequence: number): ScriptedResponse {
  const model = request.model ?? 'unknown-model';
  if (reply !== undefined && 'status' in reply) {
    const type = reply.status === 401 ? 'invalid_request_error' : reply.status === 429 ? 'rate_limit_exceeded' : 'server_error';
    return { status: reply.status, body: { error: { message: reply.error, type, param: null, code: null } }, headers: reply.headers };
  }
  const userText = lastOpenAiUserText(request);
  const resolved = reply ?? defaultReply(userText, ['json_object', 'json_schema'].includes(request.response_format?.type ?? ''));
  const promptText = (request.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join(' ');
  const message =
    'text' in resolved
      ? { role: 'assistant', content: resolved.text, refusal: null }
      : {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: resolved.toolCalls.map((call, index) => ({
            id: `call_${sequence}_${index}`,
            type: 'function',
            function: {
              name: call.name,
              arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
            },
          })),
        };
  const usage = resolved.usage ?? estimateUsage(promptText, 'text' in resolved ? resolved.text : JSON.stringify(resolved.toolCalls));
  return {
    body: {
      id: `chatcmpl-fake-${sequence}`,
      object: 'chat.completion',
      created: 1_700_000_000 + sequence,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: 'text' in resolved ? 'stop' : 'tool_calls' }],
      usage: {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
      },
    },
  };
}

/** gRPC status names Google APIs put in `error.status`, for the common HTTP codes. */
const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function answerGemini(request: GeminiRequest, model: string, reply: FakeLlmReply | undefined): ScriptedResponse {
  if (reply !== undefined && 'status' in reply) {
    const status = GOOGLE_STATUS[reply.status] ?? 'UNKNOWN';
    return { status: reply.status, body: { error: { code: reply.status, message: reply.error, status } }, headers: reply.headers };
  }
  const userText = lastGeminiUserText(request);
  const resolved = reply ?? defaultReply(userText, request.generationConfig?.responseMimeType === 'application/json');
  const parts =
    'text' in resolved
      ? [{ text: resolved.text }]
      : resolved.toolCalls.map((call) => ({
          functionCall: {
            name: call.name,
            args: typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as unknown) : call.arguments,
          },
          ...(call.thoughtSignature === undefined ? {} : { thoughtSignature: call.thoughtSignature }),
        }));
  const promptText = [
    ...(request.systemInstruction?.parts ?? []).map((p) => p.text ?? ''),
    ...(request.contents ?? []).flatMap((c) => (c.parts ?? []).map((p) => p.text ?? '')),
  ].join(' ');
  const usage = resolved.usage ?? estimateUsage(promptText, 'text' in resolved ? resolved.text : JSON.stringify(resolved.toolCalls));
  return {
    body: {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: usage.inputTokens,
        candidatesTokenCount: usage.outputTokens,
        totalTokenCount: usage.inputTokens + usage.outputTokens,
      },
      modelVersion: model,
    },
  };
}

function defaultReply(userText: string, json: boolean): { text: string; usage?: FakeLlmUsage } {
  return { text: json ? JSON.stringify({ echo: userText }) : `echo: ${userText}` };
}

function lastOpenAiUserText(request: OpenAiRequest): string {
  const last = [...(request.messages ?? [])].reverse().find((m) => m.role === 'user');
  if (last === undefined) return '';
  if (typeof last.content === 'string') return last.content;
  // Content parts: keep the text ones.
  return Array.isArray(last.content)
    ? last.content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('')
    : '';
}

function lastGeminiUserText(request: GeminiRequest): string {
  const last = [...(request.contents ?? [])].reverse().find((c) => c.role === undefined || c.role === 'user');
  return (last?.parts ?? []).map((p) => p.text ?? '').join('');
}

function estimateUsage(prompt: string, answer: string): FakeLlmUsage {
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  return { inputTokens: words(prompt), outputTokens: words(answer) };
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
