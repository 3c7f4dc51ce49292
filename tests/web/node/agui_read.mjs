// Reads our AG-UI streams with the real @ag-ui/client (HttpAgent: its SSE reader, the compatibility
// boundary, schema enforcement, event verification and defaultApplyEvents) and checks every event
// against @ag-ui/core's own schemas (EventSchemas, RunAgentInputSchema).
//
// stdin: {"threads": [{"threadId", "url"?, "turns": [turn, ...]}]}; each turn is one runAgent:
//   "user": {"id", "content"}     a user message first
//   "answers": [answer, ...]      resume: one answer per open interrupt, in the interrupts' order
//       answer {"status", "payload"?, "tool"?: {"content", "error"?}}; "tool" also appends a
//       role:"tool" message for that call first (a frontend tool's result)
//   "tools": [...]                the frontend tools of the run
//   "body": "..."                 the agent answers with these SSE bytes (else it POSTs to "url")
// stdout: {"threads": [{"messages", "pendingInterrupts", "warnings", "turns": [{"input",
//          "events", "invalid", "outcome", "interrupts", "runError", "newMessages", "error"}]}]}

import { HttpAgent } from "@ag-ui/client";
import { EventSchemas, RunAgentInputSchema } from "@ag-ui/core/schemas";

const warnings = [];
for (const level of ["warn", "error"]) {
  console[level] = (...args) => warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" "));
}

function sseEvents(text) {
  const events = [];
  for (const block of text.split("\n\n")) {
    const data = block
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""));
    if (data.length) events.push(JSON.parse(data.join("\n")));
  }
  return events;
}

async function readThread(thread) {
  const turns = [];
  let current = null;
  let cannedBody = null;
  const fetchTurn = async (url, init) => {
    current.input = JSON.parse(init.body);
    const inputCheck = RunAgentInputSchema.safeParse(current.input);
    if (!inputCheck.success) current.invalid.push({ input: inputCheck.error.message });
    let text;
    let headers = { "content-type": "text/event-stream" };
    let status = 200;
    if (cannedBody !== null) {
      text = cannedBody;
    } else {
      const response = await fetch(url, init);
      status = response.status;
      headers = Object.fromEntries(response.headers.entries());
      text = await response.text();
    }
    current.status = status;
    current.contentType = headers["content-type"];
    if (status === 200) {
      for (const event of sseEvents(text)) {
        current.events.push(event);
        const check = EventSchemas.safeParse(event);
        if (!check.success) current.invalid.push({ event, error: check.error.message });
      }
    } else {
      current.body = text;
    }
    return new Response(text, { status, headers });
  };
  const agent = new HttpAgent({ url: thread.url ?? "http://canned.invalid/agui", threadId: thread.threadId, fetch: fetchTurn });
  for (const turn of thread.turns) {
    current = { input: null, events: [], invalid: [], outcome: null, interrupts: [], error: null };
    cannedBody = turn.body ?? null;
    const parameters = {};
    if (turn.tools) parameters.tools = turn.tools;
    if (turn.user) agent.addMessage({ id: turn.user.id, role: "user", content: turn.user.content });
    if (turn.answers) {
      const open = agent.pendingInterrupts;
      parameters.resume = open.map((interrupt, index) => {
        const answer = turn.answers[Math.min(index, turn.answers.length - 1)];
        if (answer.tool) {
          const message = { id: `${interrupt.toolCallId}:client`, role: "tool", toolCallId: interrupt.toolCallId, content: answer.tool.content };
          if (answer.tool.error) message.error = answer.tool.error;
          agent.addMessage(message);
        }
        const entry = { interruptId: interrupt.id, status: answer.status };
        if (answer.payload !== undefined) entry.payload = answer.payload;
        return entry;
      });
    }
    try {
      const result = await agent.runAgent(parameters, {
        onRunFinishedEvent: (params) => {
          current.outcome = params.outcome;
          if (params.outcome === "interrupt") current.interrupts = params.interrupts;
        },
        onRunErrorEvent: ({ event }) => {
          current.outcome = "error";
          current.runError = { message: event.message, code: event.code };
        },
      });
      current.newMessages = result.newMessages;
    } catch (error) {
      current.error = error instanceof Error ? error.message : String(error);
    }
    turns.push(current);
  }
  return { messages: agent.messages, turns, pendingInterrupts: agent.pendingInterrupts };
}

const input = JSON.parse(await new Promise((resolve) => {
  let data = "";
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
}));
const threads = [];
for (const thread of input.threads) {
  const before = warnings.length;
  const result = await readThread(thread);
  result.warnings = warnings.slice(before);
  threads.push(result);
}
process.stdout.write(JSON.stringify({ threads }));
