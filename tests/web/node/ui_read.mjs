// Reads UI message streams the way the AI SDK's own client does, and prints what it assembled.
//
// stdin: a JSON array of jobs, each one of
//   {sse, message?}   one response body (text) through `ai`'s own SSE parser and chunk schema
//                     (parseJsonEventStream + uiMessageChunkSchema, as DefaultChatTransport reads
//                     a response), then readUIMessageStream, starting from `message` when given;
//                     prints {message, chunks, invalid, errors}: the last snapshot, the chunk
//                     types read, the chunks the schema refused, the errors the reader reported;
//   {chat: {id, steps, responses}}
//                     a whole conversation through the AI SDK's chat (AbstractChat, what useChat
//                     runs) over DefaultChatTransport, whose fetch answers each POST with the next
//                     of `responses`. Steps: {send: text} (sendMessage) or {answer: [...]} where an
//                     answer is {approve: {toolCallId, approved, reason?}} (addToolApprovalResponse)
//                     or {output: {toolCallId, tool, output}} / {error: {toolCallId, tool,
//                     errorText}} (addToolOutput), followed by one sendMessage() that sends them;
//                     prints {messages, bodies, errors, status}: the chat's messages at the end,
//                     the POST bodies it sent, and what it reported.
import {
  AbstractChat,
  DefaultChatTransport,
  parseJsonEventStream,
  readUIMessageStream,
  uiMessageChunkSchema,
} from "ai";

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function plain(value) {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

async function read(job) {
  const parsed = await readAll(parseJsonEventStream({ stream: new Response(job.sse).body, schema: uiMessageChunkSchema }));
  const invalid = parsed.filter((r) => !r.success).map((r) => ({ raw: r.rawValue, error: String(r.error) }));
  const values = parsed.filter((r) => r.success).map((r) => r.value);
  const errors = [];
  const stream = new ReadableStream({
    start(controller) {
      for (const value of values) controller.enqueue(value);
      controller.close();
    },
  });
  let message = null;
  for await (const snapshot of readUIMessageStream({
    message: job.message ?? undefined,
    stream,
    onError: (error) => errors.push(String(error?.message ?? error)),
  })) {
    message = snapshot;
  }
  return { message: plain(message), chunks: values.map((v) => v.type), invalid, errors };
}

class State {
  constructor() {
    this.status = "ready";
    this.error = undefined;
    this.messages = [];
  }
  pushMessage(message) {
    this.messages = this.messages.concat(message);
  }
  popMessage() {
    this.messages = this.messages.slice(0, -1);
  }
  replaceMessage(index, message) {
    this.messages = [...this.messages.slice(0, index), this.snapshot(message), ...this.messages.slice(index + 1)];
  }
  snapshot(thing) {
    return structuredClone(thing);
  }
}

class Chat extends AbstractChat {
  constructor(options) {
    super({ ...options, state: new State() });
  }
}

async function chat(job) {
  const responses = [...job.chat.responses];
  const bodies = [];
  const errors = [];
  let counter = 0;
  const transport = new DefaultChatTransport({
    api: "/api/chat",
    fetch: async (_url, init) => {
      bodies.push(JSON.parse(init.body));
      const body = responses.shift();
      if (body === undefined) return new Response("no response left", { status: 500 });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
  });
  const session = new Chat({
    id: job.chat.id,
    transport,
    generateId: () => `ui-${++counter}`,
    onError: (error) => errors.push(String(error?.message ?? error)),
  });
  for (const step of job.chat.steps) {
    if (step.send !== undefined) {
      await session.sendMessage({ text: step.send });
      continue;
    }
    for (const answer of step.answer) {
      if (answer.approve) {
        const { toolCallId, approved, reason } = answer.approve;
        await session.addToolApprovalResponse({ id: `approval-${toolCallId}`, approved, reason });
      } else if (answer.output) {
        await session.addToolOutput(answer.output);
      } else if (answer.error) {
        await session.addToolOutput({ state: "output-error", ...answer.error });
      }
    }
    await session.sendMessage();
  }
  return { messages: plain(session.messages), bodies, errors, status: session.status };
}

const input = JSON.parse(
  await new Promise((resolve) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (part) => (text += part));
    process.stdin.on("end", () => resolve(text));
  }),
);
const out = [];
for (const job of input) out.push(job.chat ? await chat(job) : await read(job));
process.stdout.write(JSON.stringify(out));
