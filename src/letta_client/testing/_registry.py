"""The tool registry (``/v1/tools``) and an agent's tools (``/v1/agents/{id}/tools``), as Letta
0.16.8 answers them.

The registry starts with the simulator's own ``get_weather`` and the base tools a
``letta_v1_agent`` gets (``conversation_search``, ``memory_insert``, ``memory_replace``); every
agent starts with them attached (the base ones unless ``include_base_tools`` is false), plus
the ``tools`` (names) and ``tool_ids`` of its create body. A created tool's JSON schema (and
so its name) comes from the last ``def`` of its Python source and its Google-style docstring,
with the server's refusals (no function, no docstring, an argument without a type or a
description). Creating a tool whose name exists updates that tool, as the server does.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from typing_extensions import Protocol

from . import _wire as wire
from ._agents import Agent
from ._http import SimRequest, SimResponse, json_response
from ._listing import cursor_page
from ._memory import ORG_ID, USER_ID, orm_not_found
from ._validate import check_body, check_ids, streaming_allowed
from ._wire import Json

__all__ = ["ROUTES", "RegistryHost", "ToolRegistry", "derive_schema"]

_GET_WEATHER_SOURCE = '''def get_weather(city: str) -> str:
    """Get the current weather in a city.

    Args:
        city (str): The city to get the weather for.

    Returns:
        str: The forecast, as JSON.
    """
    return '{"forecast": "sunny", "temperature_c": 21}'
'''


def _parameters(required: List[str], **properties: Json) -> Json:
    return {"type": "object", "properties": properties, "required": required}


def _text(description: str) -> Json:
    return {"type": "string", "description": description}


_BASE_TOOLS: List[Tuple[str, str, bool, Json]] = [
    (
        "conversation_search",
        "Search prior conversation history using hybrid search (text + semantic similarity).",
        True,
        _parameters(
            [],
            query=_text("String to search for using both text matching and semantic similarity."),
            roles={
                "type": "array",
                "items": {"type": "string", "enum": ["assistant", "user", "tool"]},
                "description": "Optional list of message roles to filter by.",
            },
            limit={"type": "integer", "description": "Maximum number of results to return."},
            start_date=_text("Filter results to messages created on or after this date (INCLUSIVE)."),
            end_date=_text("Filter results to messages created on or before this date (INCLUSIVE)."),
        ),
    ),
    (
        "memory_insert",
        "The memory_insert command allows you to insert text at a specific location in a memory block.",
        False,
        _parameters(
            ["label", "new_string"],
            label=_text("Section of the memory to be edited, identified by its label."),
            new_string=_text("The text to insert. Do not include line number prefixes."),
            insert_line={"type": "integer", "description": "The line number after which to insert the text."},
        ),
    ),
    (
        "memory_replace",
        "The memory_replace command allows you to replace a specific string in a memory block with a new string.",
        False,
        _parameters(
            ["label", "old_string", "new_string"],
            label=_text("Section of the memory to be edited, identified by its label."),
            old_string=_text("The text to replace (must match exactly, including whitespace and indentation)."),
            new_string=_text("The new text to insert in place of the old text."),
        ),
    ),
]
_TOOL_TYPES = (
    "custom",
    "letta_core",
    "letta_memory_core",
    "letta_multi_agent_core",
    "letta_sleeptime_core",
    "letta_voice_sleeptime_core",
    "letta_builtin",
    "letta_files_core",
    "external_langchain",
    "external_composio",
    "external_mcp",
)
_CREATE_FIELDS = (
    "description",
    "tags",
    "source_code",
    "source_type",
    "json_schema",
    "args_json_schema",
    "return_char_limit",
    "pip_requirements",
    "npm_requirements",
    "default_requires_approval",
    "enable_parallel_execution",
)
_UPDATE_FIELDS = (*_CREATE_FIELDS, "metadata_")
_SECTIONS = re.compile(r"^(Args|Arguments|Parameters|Returns?|Raises|Yields|Examples?|Notes?):\s*$")
_PARAM_LINE = re.compile(r"^(\s*)\**(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "None": "null"}
_RESERVED = ("self", "agent_state")


class SchemaError(Exception):
    """The server's refusal to derive a tool's schema (a 400)."""


def _tool_hash(source_code: Optional[str], source_type: Optional[str]) -> str:
    return hashlib.sha256(f"{source_code or ''}|{source_type or ''}|".encode()).hexdigest()[:12]


def _docstring(doc: str) -> Tuple[str, Dict[str, str]]:
    """A Google-style docstring's description (``short\\n\\nlong``) and argument descriptions."""
    lines = inspect.cleandoc(doc).splitlines()
    intro: List[str] = []
    params: Dict[str, str] = {}
    section: Optional[str] = None
    indent: Optional[int] = None
    current: Optional[str] = None
    for line in lines:
        header = _SECTIONS.match(line.strip())
        if header:
            section, indent, current = header.group(1), None, None
        elif section is None:
            intro.append(line)
        elif section in ("Args", "Arguments", "Parameters") and line.strip():
            match = _PARAM_LINE.match(line)
            if match and (indent is None or len(match.group(1)) == indent):
                indent, name = len(match.group(1)), match.group(2)
                params[name] = match.group(3).strip()
                current = name
            elif current is not None:
                params[current] = f"{params[current]} {line.strip()}".strip()
    text = "\n".join(intro).strip()
    short, _, long = text.partition("\n")
    return (f"{short}\n\n{long.strip()}" if long.strip() else short) or "No description available", params


def _annotation(node: Optional[ast.expr]) -> Tuple[Json, bool]:
    """The JSON schema of a type annotation, and whether it is optional."""
    if isinstance(node, ast.Constant) and node.value is None:
        return {"type": "null"}, True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = (_annotation(node.left), _annotation(node.right))
        return (left[0] if right[0] == {"type": "null"} else right[0]), True
    if isinstance(node, ast.Subscript):
        base = _name(node.value)
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base == "Optional":
            return _annotation(args[0])[0], True
        if base == "Union":
            kinds = [_annotation(arg)[0] for arg in args]
            rest = [kind for kind in kinds if kind != {"type": "null"}]
            return (rest[0] if rest else {"type": "null"}), len(rest) < len(kinds)
        if base in ("list", "List"):
            return {"type": "array", "items": _annotation(args[0])[0]}, False
        if base == "Literal":
            return {"type": "string", "enum": [a.value for a in args if isinstance(a, ast.Constant)]}, False
        if base in ("dict", "Dict"):
            return {"type": "object"}, False
    name = _name(node) if node is not None else ""
    if name in ("list", "List"):
        return {"type": "array", "items": {"type": "string"}}, False
    if name in ("dict", "Dict"):
        return {"type": "object"}, False
    return {"type": _JSON_TYPES.get(name, "string")}, False


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant):
        return str(node.value)
    return ""


def derive_schema(source_code: str) -> Json:
    """The tool's JSON schema from its Python source, as the server derives it (the last function
    defined, its docstring's description and arguments); ``SchemaError`` when it refuses."""
    try:
        tree = ast.parse(source_code)
    except SyntaxError as error:
        raise SchemaError(f"Failed to parse source code: {error}") from None
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    if not functions:
        raise SchemaError("No functions found in source code")
    function = functions[-1]
    doc = ast.get_docstring(function, clean=False)
    if not doc:
        raise SchemaError(f"Function {function.name} missing docstring")
    description, documented = _docstring(doc)
    parameters = _parameters([])
    arguments = function.args.args
    first_default = len(arguments) - len(function.args.defaults)
    for position, argument in enumerate(arguments):
        if argument.arg in _RESERVED:
            continue
        if argument.annotation is None:
            problem = f"Parameter '{argument.arg}' in function '{function.name}' lacks a type annotation"
            raise SchemaError(f"Type error in schema generation: {problem}")
        if not documented.get(argument.arg):
            problem = f"Parameter '{argument.arg}' in function '{function.name}' lacks a description in the docstring"
            raise SchemaError(f"Value error in schema generation: {problem}")
        schema, optional = _annotation(argument.annotation)
        parameters["properties"][argument.arg] = {**schema, "description": documented[argument.arg]}
        if position < first_default and not optional:
            parameters["required"].append(argument.arg)
    return {"name": function.name, "description": description, "parameters": parameters}


def _tool(name: str, tool_type: str, description: Optional[str], json_schema: Json, **fields: Any) -> Json:
    """A tool's JSON, every field in the server's order."""
    return {
        "id": wire.new_id("tool"),
        "tool_type": tool_type,
        "description": description,
        "source_type": fields.get("source_type", "python"),
        "name": name,
        "tags": list(fields.get("tags") or []),
        "source_code": fields.get("source_code"),
        "json_schema": json_schema,
        "args_json_schema": fields.get("args_json_schema"),
        "return_char_limit": fields.get("return_char_limit", 50000),
        "pip_requirements": fields.get("pip_requirements"),
        "npm_requirements": fields.get("npm_requirements"),
        "default_requires_approval": fields.get("default_requires_approval"),
        "enable_parallel_execution": fields.get("enable_parallel_execution", False),
        "created_by_id": USER_ID,
        "last_updated_by_id": USER_ID,
        "metadata_": dict(fields.get("metadata_") or {}),
        "project_id": None,
    }


class ToolRegistry:
    """The tools by id, oldest first."""

    def __init__(self) -> None:
        self.tools: Dict[str, Json] = {}
        schema = derive_schema(_GET_WEATHER_SOURCE)
        self.add(_tool("get_weather", "custom", schema["description"], schema, source_code=_GET_WEATHER_SOURCE))
        for name, description, parallel, parameters in _BASE_TOOLS:
            kind = "letta_core" if name == "conversation_search" else "letta_sleeptime_core"
            schema = {"name": name, "description": description, "parameters": parameters}
            self.add(_tool(name, kind, description, schema, tags=[kind], enable_parallel_execution=parallel))

    def add(self, tool: Json) -> Json:
        if tool["source_code"] is not None:
            tool["metadata_"]["tool_hash"] = _tool_hash(tool["source_code"], tool["source_type"])
        self.tools[tool["id"]] = tool
        return tool

    def by_name(self, name: Optional[str]) -> Optional[Json]:
        return next((tool for tool in self.tools.values() if tool["name"] == name), None)

    def ensure(self, name: str, description: Optional[str]) -> None:
        """Register a server tool added with ``Simulator.add_tool`` (no source, no arguments)."""
        if self.by_name(name) is None:
            schema = {"name": name, "description": description or "", "parameters": _parameters([])}
            self.add(_tool(name, "custom", description, schema))

    def furnish(self, agent: Agent, config: Optional[Mapping[str, Any]]) -> None:
        """Attach a new agent's tools: ``get_weather``, the base tools (unless
        ``include_base_tools`` is false), and the ``tools`` / ``tool_ids`` of its create body."""
        body = config or {}
        names = ["get_weather"]
        if body.get("include_base_tools") is not False and agent.config.get("agent_type") == "letta_v1_agent":
            names += [name for name, *_ in _BASE_TOOLS]
        names += [str(name) for name in wire.as_list(body.get("tools")) or []]
        chosen = [tool for tool in self.tools.values() if tool["name"] in names]
        chosen += [self.tools[str(i)] for i in wire.as_list(body.get("tool_ids")) or [] if str(i) in self.tools]
        agent.tools = list({tool["id"]: tool for tool in chosen}.values())

    def update(self, tool: Json, body: Mapping[str, Any]) -> Optional[str]:
        """``ToolUpdate`` (its ``enable_parallel_execution`` defaults to false when not given, as
        the server applies it); the 400 detail when the source does not define the tool's name."""
        data = {name: value for name, value in body.items() if name in _UPDATE_FIELDS and value is not None}
        data.setdefault("enable_parallel_execution", False)
        schema = wire.as_object(data.get("json_schema"))
        name = str(schema.get("name", tool["name"])) if schema else tool["name"]
        source = data.get("source_code")
        if isinstance(source, str) and data.get("source_type", tool["source_type"]) != "typescript":
            if f"def {name}" not in source:
                schema_name = (schema or tool["json_schema"] or {}).get("name")
                return (
                    f"Tool name '{name}' does not match the name in the JSON schema '{schema_name}' "
                    f"or in the source code `{source}`"
                )
        tool.update(data, name=name)
        if "source_code" in data:
            tool["metadata_"] = {**(tool["metadata_"] or {}), "tool_hash": _tool_hash(source, tool["source_type"])}
        return None


class RegistryHost(Protocol):
    """What the routes need from the ``Simulator``."""

    agents: Dict[str, Agent]
    tool_registry: ToolRegistry

    @property
    def state_lock(self) -> Any: ...


# -- /v1/tools -----------------------------------------------------------------------------------


def upsert_tool(host: RegistryHost, request: SimRequest) -> SimResponse:
    """``POST`` and ``PUT /v1/tools/``: both create the tool, or update the one of that name."""
    body, error = check_body(request, required=("source_code",), allowed=_CREATE_FIELDS)
    if error is not None:
        return error
    assert body is not None
    schema = wire.as_object(body.get("json_schema"))
    if schema is None:
        try:
            schema = derive_schema(str(body["source_code"]))
        except SchemaError as refusal:
            detail = f"Failed to derive json schema: Schema generation failed: {refusal}"
            return json_response(400, {"detail": detail})
    with host.state_lock:
        registry = host.tool_registry
        existing = registry.by_name(schema.get("name"))
        if existing is not None:
            problem = registry.update(existing, {**body, "json_schema": schema})
            return json_response(400, {"detail": problem}) if problem else json_response(200, existing)
        fields = {name: value for name, value in body.items() if value is not None}
        description = body.get("description") or schema.get("description")
        tool = registry.add(_tool(str(schema.get("name")), "custom", description, schema, **fields))
        return json_response(200, tool)


def _flatten(values: Optional[List[str]]) -> Optional[List[str]]:
    """A list query parameter given repeated or comma-separated."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()] or None


def list_tools(host: RegistryHost, request: SimRequest) -> SimResponse:
    kinds = _flatten(request.query.get("tool_types"))
    excluded = _flatten(request.query.get("exclude_tool_types"))
    for kind in (kinds or []) + (excluded or []):
        if kind not in _TOOL_TYPES:
            detail = f"Invalid tool_type '{kind}'. Must be one of: {', '.join(_TOOL_TYPES)}"
            return json_response(400, {"detail": detail})
    names = [*(request.query.get("name") or [])[-1:], *(request.query.get("names") or [])]
    ids = _flatten(request.query.get("tool_ids"))
    search = (request.query_value("search") or "").lower()
    letta_only = request.query_value("return_only_letta_tools") == "true"

    def wanted(tool: Json) -> bool:
        return (
            (not names or tool["name"] in names)
            and (ids is None or tool["id"] in ids)
            and search in str(tool["name"]).lower()
            and (kinds is None or tool["tool_type"] in kinds)
            and (excluded is None or tool["tool_type"] not in excluded)
            and (not letta_only or str(tool["tool_type"]).startswith("letta_"))
        )

    with host.state_lock:
        tools = [tool for tool in host.tool_registry.tools.values() if wanted(tool)]
    return cursor_page(request, tools, order="desc", limit=50)


def retrieve_tool(host: RegistryHost, request: SimRequest, tool_id: str) -> SimResponse:
    error = check_ids(tool_id=tool_id)
    if error is not None:
        return error
    with host.state_lock:
        tool = host.tool_registry.tools.get(tool_id)
    return orm_not_found("Tool", tool_id) if tool is None else json_response(200, tool)


def modify_tool(host: RegistryHost, request: SimRequest, tool_id: str) -> SimResponse:
    body, error = check_body(request)
    error = check_ids(tool_id=tool_id) or error
    if error is not None:
        return error
    assert body is not None
    with host.state_lock:
        tool = host.tool_registry.tools.get(tool_id)
        if tool is None:
            return orm_not_found("Tool", tool_id)
        problem = host.tool_registry.update(tool, body)
        return json_response(400, {"detail": problem}) if problem else json_response(200, tool)


def delete_tool(host: RegistryHost, request: SimRequest, tool_id: str) -> SimResponse:
    error = check_ids(tool_id=tool_id)
    if error is not None:
        return error
    with host.state_lock:
        if host.tool_registry.tools.pop(tool_id, None) is None:
            return orm_not_found("Tool", tool_id)
        for agent in host.agents.values():
            agent.tools = [tool for tool in agent.tools if tool["id"] != tool_id]
    return json_response(200, None)


# -- an agent's tools ----------------------------------------------------------------------------


def _agent_missing() -> SimResponse:
    return json_response(404, {"detail": "Agent not found"})


def list_agent_tools(host: RegistryHost, request: SimRequest, agent_id: str) -> SimResponse:
    error = check_ids(agent_id=agent_id)
    if error is not None:
        return error
    with host.state_lock:
        agent = host.agents.get(agent_id)
        if agent is None:
            return _agent_missing()
        order = {tool_id: i for i, tool_id in enumerate(host.tool_registry.tools)}
        tools = sorted(agent.tools, key=lambda tool: order.get(tool["id"], -1))
    return cursor_page(request, tools, order="desc", limit=10)


def _attachment(host: RegistryHost, request: SimRequest, agent_id: str, tool_id: str, attach: bool) -> SimResponse:
    """An SDK 1.x client gets ``null``, older clients the agent, as the server answers."""
    error = check_ids(tool_id=tool_id, agent_id=agent_id)
    if error is not None:
        return error
    with host.state_lock:
        agent = host.agents.get(agent_id)
        if agent is None:
            return _agent_missing()
        tool = host.tool_registry.tools.get(tool_id)
        if attach and tool is None:
            detail = f"Tool with id={tool_id} not found in organization={ORG_ID}"
            return json_response(404, {"detail": detail})
        agent.tools = [item for item in agent.tools if item["id"] != tool_id]
        if attach and tool is not None:
            agent.tools.append(tool)
        return json_response(200, None if streaming_allowed(request) else agent.to_json())


def attach_tool(host: RegistryHost, request: SimRequest, agent_id: str, tool_id: str) -> SimResponse:
    return _attachment(host, request, agent_id, tool_id, attach=True)


def detach_tool(host: RegistryHost, request: SimRequest, agent_id: str, tool_id: str) -> SimResponse:
    return _attachment(host, request, agent_id, tool_id, attach=False)


def update_approval(host: RegistryHost, request: SimRequest, agent_id: str, tool_name: str) -> SimResponse:
    """``PATCH …/tools/approval/{tool_name}``: add or drop the agent's ``requires_approval`` rule for
    the tool (``requires_approval`` in the body, or the deprecated query parameter)."""
    error = check_ids(agent_id=agent_id)
    if error is not None:
        return error
    value = (wire.as_object(request.json()) or {}).get("requires_approval")
    if value is None and request.query_value("requires_approval") is not None:
        value = request.query_value("requires_approval") == "true"
    if not isinstance(value, bool):
        detail = "requires_approval must be provided either in request body or as query parameter"
        return json_response(422, {"detail": detail})
    with host.state_lock:
        agent = host.agents.get(agent_id)
        if agent is None:
            return _agent_missing()
        rules = [
            rule
            for rule in wire.as_list(agent.config.get("tool_rules")) or []
            if not (rule.get("type") == "requires_approval" and rule.get("tool_name") == tool_name)
        ]
        if value:
            rules.append({"tool_name": tool_name, "type": "requires_approval", "prompt_template": None})
        agent.config["tool_rules"] = rules
        return json_response(200, None if streaming_allowed(request) else agent.to_json())


_ID = r"([^/]+)"
Route = Callable[..., SimResponse]
ROUTES: List[Tuple[str, Mapping[str, Route]]] = [
    (r"^/v1/tools$", {"GET": list_tools, "POST": upsert_tool, "PUT": upsert_tool}),
    (rf"^/v1/tools/{_ID}$", {"GET": retrieve_tool, "PATCH": modify_tool, "DELETE": delete_tool}),
    (rf"^/v1/agents/{_ID}/tools$", {"GET": list_agent_tools}),
    (rf"^/v1/agents/{_ID}/tools/attach/{_ID}$", {"PATCH": attach_tool}),
    (rf"^/v1/agents/{_ID}/tools/detach/{_ID}$", {"PATCH": detach_tool}),
    (rf"^/v1/agents/{_ID}/tools/approval/{_ID}$", {"PATCH": update_approval}),
]
