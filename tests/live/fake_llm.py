"""Scripted, deterministic OpenAI-compatible model server for the live Letta tests.

Run:  python3 tests/live/fake_llm.py --host 127.0.0.1 --port 8399   (stdlib only)

Endpoints
  GET  /v1/models             fake-gpt, fake-gpt-2 (Letta lists them as openai-proxy/<id>)
  POST /v1/chat/completions   non-streaming and `stream: true` (OpenAI chunk format)
  POST /v1/embeddings         deterministic unit vectors (float list or base64 float32)
  GET  /_stats[?contains=X]   {"chat": n, "embeddings": n, "models": n, "matching": n}
                              `matching` = chat requests whose last user text contains X
  GET  /_requests?last=N      the last N request bodies (at most 50 kept)
Every response carries `Connection: close` (Letta 0.16.8 leaks keep-alive sockets otherwise).

Behaviour is scripted by trigger words in the text of the LAST user message (case-insensitive
names, anywhere in the text; several can be combined):

  (none)                  answer "Echo: <text>", where <text> is the user text with all
                          triggers removed and whitespace collapsed
  [think]                 emit reasoning "Thinking about: <text>" before the answer
  [chunks=N]              stream the answer as exactly N content chunks (padded with '.' when
                          shorter than N characters); default is one chunk per word
  [tool:NAME]             call tool NAME (must be in the request's `tools`) with arguments made
  [tool:NAME {json}]      from its JSON schema (required properties), or with the given JSON object
  [parallel:A,B]          call tools A and B in one response (schema-made arguments)
  [fail]                  HTTP 500 (Letta retries twice, then fails the turn)
  [fail=K]                HTTP 500 for the first K attempts at this exact conversation, then normal
  [slow=S]                sleep S seconds before answering (before the first chunk when streaming)
  [gap=S]                 sleep S seconds between stream chunks
  [empty]                 answer with empty content and no tool call

A tool call is only made while the conversation does not already end with `tool` messages: once
the tool results come back (trailing `tool` role messages), the answer is plain content
"Tool said: <result>" (results joined with " | "). A tool NAME that is not offered gives the
content "Tool NAME is not available". Tool call ids are call_fake_000001, call_fake_000002, ...
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import re
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

MODELS = ["fake-gpt", "fake-gpt-2"]
EMBEDDING_DIM = 1536

TRIGGER_RE = re.compile(r"\[(think|empty|fail|chunks|slow|gap|tool|parallel)(?:[=:]\s*([^\]]*))?\]", re.I)

_lock = threading.Lock()
_state = {"chat": 0, "embeddings": 0, "models": 0, "call_seq": 0}
_user_texts: list[str] = []
_requests: list[dict] = []
_fail_counts: dict[str, int] = {}


# ---------------------------------------------------------------- request analysis
def _text_of(content) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        text = content
    else:  # list of content parts
        text = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    # some agent types wrap the user text in JSON: {"type": "user_message", "message": "..."}
    if text.lstrip().startswith("{"):
        try:
            obj = json.loads(text)
            if isinstance(obj, dict) and isinstance(obj.get("message"), str):
                return obj["message"]
        except ValueError:
            pass
    return text


def parse_triggers(text: str) -> dict:
    t: dict = {"think": False, "empty": False, "fail": None, "chunks": None, "slow": 0.0, "gap": 0.0, "tools": []}
    for m in TRIGGER_RE.finditer(text):
        name, arg = m.group(1).lower(), (m.group(2) or "").strip()
        if name in ("think", "empty"):
            t[name] = True
        elif name == "fail":
            t["fail"] = int(arg) if arg.isdigit() else -1  # -1: always
        elif name == "chunks" and arg.isdigit():
            t["chunks"] = max(1, int(arg))
        elif name in ("slow", "gap"):
            try:
                t[name] = float(arg)
            except ValueError:
                pass
        elif name == "tool" and arg:
            tool_name, _, raw = arg.partition(" ")
            args = None
            if raw.strip():
                try:
                    args = json.loads(raw)
                except ValueError:
                    args = None
            t["tools"] = [(tool_name.strip(), args)]
        elif name == "parallel" and arg:
            t["tools"] = [(n.strip(), None) for n in arg.split(",") if n.strip()]
    t["clean"] = " ".join(TRIGGER_RE.sub(" ", text).split())
    return t


def _args_from_schema(tool: dict) -> dict:
    params = (tool.get("function") or {}).get("parameters") or {}
    props = params.get("properties") or {}
    samples = {"string": "test", "integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}
    out = {}
    for name in params.get("required") or []:
        kind = (props.get(name) or {}).get("type", "string")
        out[name] = samples.get(kind if isinstance(kind, str) else "string", "test")
    return out


def plan(body: dict) -> dict:
    """Decide what to answer: {'reasoning', 'content', 'tool_calls', 'triggers'}."""
    messages = body.get("messages") or []
    last_user = next((m for m in reversed(messages) if m.get("role") == "user"), {})
    text = _text_of(last_user.get("content"))
    t = parse_triggers(text)
    trailing_tools = []
    for m in reversed(messages):
        if m.get("role") != "tool":
            break
        trailing_tools.insert(0, _text_of(m.get("content")))

    reasoning = f"Thinking about: {t['clean']}" if t["think"] else None
    tool_calls = []
    content = f"Echo: {t['clean']}"
    if trailing_tools:
        content = "Tool said: " + " | ".join(trailing_tools)
    elif t["tools"]:
        offered = {(x.get("function") or {}).get("name"): x for x in body.get("tools") or []}
        missing = [n for n, _ in t["tools"] if n not in offered]
        if missing:
            content = f"Tool {missing[0]} is not available"
        else:
            for name, args in t["tools"]:
                with _lock:
                    _state["call_seq"] += 1
                    call_id = f"call_fake_{_state['call_seq']:06d}"
                if args is None:
                    args = _args_from_schema(offered[name])
                tool_calls.append(
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {"name": name, "arguments": json.dumps(args, separators=(",", ":"))},
                    }
                )
            content = None
    if t["empty"]:
        content, tool_calls = "", []
    if content is not None and t["chunks"] and len(content) < t["chunks"]:
        content += "." * (t["chunks"] - len(content))
    return {"reasoning": reasoning, "content": content, "tool_calls": tool_calls, "triggers": t, "user_text": text}


def split_chunks(text: str, n: int | None) -> list[str]:
    if not text:
        return []
    if n is None:  # one chunk per word, keeping the spaces
        return re.findall(r"\S+\s*|\s+", text)
    size, rest = divmod(len(text), n)
    out, i = [], 0
    for k in range(n):
        step = size + (1 if k < rest else 0)
        out.append(text[i : i + step])
        i += step
    return out


def usage(body: dict, p: dict) -> dict:
    prompt = len(json.dumps(body.get("messages") or [])) // 4
    completion = len((p["content"] or "").split()) + len((p["reasoning"] or "").split()) + 5 * len(p["tool_calls"])
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def embedding(text: str, dim: int) -> list[float]:
    rnd = random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))
    v = [rnd.gauss(0.0, 1.0) for _ in range(dim)]
    norm = sum(x * x for x in v) ** 0.5 or 1.0
    return [x / norm for x in v]


# ---------------------------------------------------------------- HTTP
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-llm/1"

    def log_message(self, fmt, *args):  # quieter log: one line per request
        print(f"{self.address_string()} {fmt % args}", flush=True)

    def _send_json(self, status: int, obj) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def _body(self) -> dict:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return {}

    def do_GET(self):
        url = urlparse(self.path)
        q = parse_qs(url.query)
        path = url.path.rstrip("/")
        if path in ("/v1/models", "/models"):
            with _lock:
                _state["models"] += 1
            data = [{"id": m, "object": "model", "created": 1700000000, "owned_by": "fake"} for m in MODELS]
            return self._send_json(200, {"object": "list", "data": data})
        if path == "/_stats":
            with _lock:
                out = {k: _state[k] for k in ("chat", "embeddings", "models")}
                if "contains" in q:
                    out["matching"] = sum(q["contains"][0] in t for t in _user_texts)
            return self._send_json(200, out)
        if path == "/_requests":
            last = int((q.get("last") or ["10"])[0])
            with _lock:
                return self._send_json(200, _requests[-last:])
        self._send_json(404, {"error": {"message": f"no route {url.path}", "type": "not_found"}})

    def do_POST(self):
        path = urlparse(self.path).path.rstrip("/")
        body = self._body()
        with _lock:
            _requests.append({"t": time.time(), "path": path, "body": body})
            del _requests[:-50]
        try:
            if path in ("/v1/chat/completions", "/chat/completions"):
                return self._chat(body)
            if path in ("/v1/embeddings", "/embeddings"):
                return self._embeddings(body)
            self._send_json(404, {"error": {"message": f"no route {path}", "type": "not_found"}})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _embeddings(self, body: dict) -> None:
        inputs = body.get("input")
        inputs = [inputs] if isinstance(inputs, str) else list(inputs or [])
        dim = int(body.get("dimensions") or EMBEDDING_DIM)
        with _lock:
            _state["embeddings"] += 1
        data = []
        for i, text in enumerate(inputs):
            vec = embedding(str(text), dim)
            if body.get("encoding_format") == "base64":
                vec = base64.b64encode(struct.pack(f"<{dim}f", *vec)).decode()
            data.append({"object": "embedding", "index": i, "embedding": vec})
        tokens = sum(len(str(x).split()) for x in inputs)
        self._send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model", "fake-embedding"),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    def _chat(self, body: dict) -> None:
        p = plan(body)
        t = p["triggers"]
        with _lock:
            _state["chat"] += 1
            _user_texts.append(p["user_text"])
            del _user_texts[:-10000]
        if t["fail"] is not None:
            key = hashlib.sha256(json.dumps(body.get("messages"), sort_keys=True).encode()).hexdigest()
            with _lock:
                _fail_counts[key] = _fail_counts.get(key, 0) + 1
                attempt = _fail_counts[key]
            if t["fail"] < 0 or attempt <= t["fail"]:
                if t["slow"]:
                    time.sleep(t["slow"])
                return self._send_json(
                    500,
                    {
                        "error": {
                            "message": "fake LLM failure ([fail] trigger)",
                            "type": "server_error",
                            "param": None,
                            "code": "fake_failure",
                        }
                    },
                )
        if t["slow"]:
            time.sleep(t["slow"])
        model = body.get("model") or MODELS[0]
        finish = "tool_calls" if p["tool_calls"] else "stop"
        cid = "chatcmpl-fake-" + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
        if not body.get("stream"):
            msg = {"role": "assistant", "content": p["content"]}
            if p["reasoning"]:
                msg["reasoning_content"] = p["reasoning"]
            if p["tool_calls"]:
                msg["tool_calls"] = p["tool_calls"]
            return self._send_json(
                200,
                {
                    "id": cid,
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [{"index": 0, "message": msg, "finish_reason": finish, "logprobs": None}],
                    "usage": usage(body, p),
                },
            )
        self._stream(body, p, cid, model, finish)

    def _stream(self, body: dict, p: dict, cid: str, model: str, finish: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        created = int(time.time())
        gap = p["triggers"]["gap"]
        first = [True]

        def chunk(delta=None, finish_reason=None, usage_obj=None, choices=True):
            if not first[0] and gap:
                time.sleep(gap)
            obj = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish_reason, "logprobs": None}]
                if choices
                else [],
            }
            if usage_obj is not None:
                obj["usage"] = usage_obj
            if first[0] and choices:
                obj["choices"][0]["delta"] = {"role": "assistant", **(delta or {})}
            first[0] = False
            self.wfile.write(b"data: " + json.dumps(obj).encode() + b"\n\n")
            self.wfile.flush()

        n = p["triggers"]["chunks"]
        if p["reasoning"]:
            for piece in split_chunks(p["reasoning"], None):
                chunk({"reasoning_content": piece})
        for piece in split_chunks(p["content"] or "", n):
            chunk({"content": piece})
        for i, call in enumerate(p["tool_calls"]):
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": i,
                            "id": call["id"],
                            "type": "function",
                            "function": {"name": call["function"]["name"], "arguments": ""},
                        }
                    ]
                }
            )
            args = call["function"]["arguments"]
            half = len(args) // 2
            for frag in (args[:half], args[half:]):
                if frag:
                    chunk({"tool_calls": [{"index": i, "function": {"arguments": frag}}]})
        if first[0]:  # nothing emitted yet (empty answer): still open the message
            chunk({"content": ""})
        chunk({}, finish)
        if (body.get("stream_options") or {}).get("include_usage"):
            chunk(usage_obj=usage(body, p), choices=False)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8399)
    a = ap.parse_args()
    server = ThreadingHTTPServer((a.host, a.port), Handler)
    server.daemon_threads = True
    print(f"fake LLM on http://{a.host}:{a.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
