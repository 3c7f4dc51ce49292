"""Write ``api.md``: every resource, method and type of the official SDK, in its order, and ours.

    python scripts/api_md.py                # (re)write api.md
    python scripts/api_md.py --check        # exit 1 if api.md differs from what it would write
    python scripts/api_md.py --order WHEEL  # print ORDER (below) as read from an official wheel

Where it comes from:

* the methods, their HTTP verbs and paths, parameters and return types: ``scripts/api.json``
  (the description of the official API that ``scripts/generate.py`` also reads);
* their order: ``ORDER``, the official client's resources and each resource's methods in the
  order of its source (``--order`` reads it again from a new wheel; the script fails when
  ``ORDER`` and ``scripts/api.json`` name different methods);
* the types of a resource: the exported names of the type modules its methods use, each listed
  under the first resource that uses it; the others under "Other types"; then every type module
  with every name it defines;
* our additions: the public methods of our resource classes that the official SDK does not have,
  found by walking a ``Letta`` client's resources; each needs an entry in ``OURS`` (what it does and
  where the docs explain it), and an entry for a method we no longer have is an error too;
* the source links: the file that defines each of our methods, and each type module's file.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import sys
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "scripts" / "api.json"
OUT = ROOT / "api.md"
VERSION = "1.12.1"

# The official client's resources (depth first, each resource's methods before its sub-resources)
# and each resource's methods, in the order of the official source. ``--order WHEEL`` prints it.
ORDER = """
agents: create retrieve update list delete export_file import_file recompile
agents.messages: create list cancel compact create_async reset stream
agents.schedule: create retrieve list delete
agents.blocks: retrieve update list attach detach
agents.tools: list attach detach run update_approval
agents.folders: list attach detach
agents.files: list close close_all open
agents.archives: attach detach
agents.passages: create list delete search
agents.identities: attach detach
tools: create retrieve update list delete search upsert
blocks: create retrieve update list delete
blocks.agents: list
archives: create retrieve update list delete
archives.passages: create delete create_many
folders: create retrieve update list delete
folders.files: retrieve list delete upload
folders.agents: list
models: list
models.embeddings: list
mcp_servers: create retrieve update list delete refresh
mcp_servers.tools: retrieve list run
runs: retrieve list
runs.messages: list stream
runs.usage: retrieve
runs.steps: list
runs.trace: retrieve
steps: retrieve list
steps.metrics: retrieve
steps.trace: retrieve
steps.feedback: create
steps.messages: list
templates: create update delete rollback save
templates.agents: create
tags: list
messages: retrieve list search
passages: search
conversations: create retrieve update list delete cancel fork recompile
conversations.messages: create list compact stream
environments: retrieve list send_message
access_tokens: create list delete
"""

# The official client's own methods (scripts/api.json describes the resources only): the one
# endpoint, and the client's helpers; the signature shown is ours.
CLIENT_METHODS: Dict[str, str] = {
    "health": "`GET /v1/health/`",
    "copy": "a new client with some settings changed, sharing the connection pool unless given `http_client`",
    "with_options": "the same as `copy`",
    "close": "close the connections the client opened (also the end of `with Letta() as client:`)",
    "get": "a `GET` to any path, the answer parsed as `cast_to` ([any endpoint](docs/resources.md#any-endpoint))",
    "post": "a `POST` to any path",
    "patch": "a `PATCH` to any path",
    "put": "a `PUT` to any path",
    "delete": "a `DELETE` to any path",
}

# Our methods the official SDK does not have: what each does, and the page that explains it.
OURS: Dict[str, Tuple[str, str]] = {
    "agents.messages.send": (
        "`create` under its own name: one JSON answer, or a `Stream` with `streaming=True`",
        "docs/messages.md",
    ),
    "agents.messages.run_tools": (
        "send, then run the agent's calls of your `@tool` functions until the turn ends",
        "docs/tools.md",
    ),
    "agents.messages.resolve_pending_approvals": (
        "answer every approval an agent is stuck on, once",
        "docs/tools.md#approvals",
    ),
    "runs.wait": ("poll a run until it ends; with `response=True`, its `LettaResponse`", "docs/messages.md#async-runs"),
    "runs.response": ("the `LettaResponse` of a finished run, rebuilt from the runs endpoints", "docs/streaming.md"),
    "runs.stream": ("follow a background run's stream, resuming by itself", "docs/streaming.md#background-runs"),
    "conversations.messages.send": (
        "`create` under its own name: an exactly-once send, streaming unless `streaming=False`",
        "docs/conversations.md",
    ),
    "conversations.messages.run_tools": ("`run_tools` in a conversation, every round exactly once", "docs/tools.md"),
    "conversations.messages.resolve_pending_approvals": (
        "answer every approval a conversation is stuck on, once",
        "docs/tools.md#approvals",
    ),
}

HEADER = f"""# API reference

Every resource, method and type of the official `letta-client` {VERSION}, in the official SDK's
order, then the methods this SDK adds (marked **ours**). Each method is on `Letta` as shown and
on `AsyncLetta` with `await`; a listing that returns `SyncArrayPage[X]` returns `AsyncArrayPage[X]`
there (`async for` walks it). Every method also has its `client.<resource>.with_raw_response.<method>`
and `with_streaming_response` forms ([raw responses](docs/resources.md#raw-responses)).
`**params` are the keyword arguments of the linked `TypedDict`; see [the guide](docs/README.md)
for how to use them.

This file is generated by `scripts/api_md.py` from `scripts/api.json` (the description of the
official API) and our resource classes; `python scripts/api_md.py --check` fails when it is stale.
"""


# --- reading -----------------------------------------------------------------------------------


def order() -> List[Tuple[str, List[str]]]:
    entries: List[Tuple[str, List[str]]] = []
    for line in ORDER.strip().splitlines():
        resource, _, methods = line.partition(":")
        entries.append((resource.strip(), methods.split()))
    return entries


def load_api() -> Dict[str, Any]:
    api: Dict[str, Any] = json.loads(API.read_text(encoding="utf-8"))
    listed = {f"{resource}.{method}" for resource, methods in order() for method in methods}
    described = set(api["endpoints"])
    if listed != described:
        raise SystemExit(
            "ORDER and scripts/api.json name different methods; refresh ORDER with --order WHEEL.\n"
            f"  only in api.json: {sorted(described - listed)}\n  only in ORDER: {sorted(listed - described)}"
        )
    return api


def relative(path: Optional[str]) -> Optional[str]:
    if path is None:
        return None
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None


def module_file(module: str) -> Optional[str]:
    base = ROOT / "src" / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate.relative_to(ROOT).as_posix()
    return None


@functools.cache
def client() -> Any:
    from letta_client import Letta

    return Letta(base_url="http://localhost:8283", api_key="api-md")  # never sends anything


def resource(path: str) -> Any:
    obj = client()
    for part in filter(None, path.split(".")):
        obj = getattr(obj, part)
    return obj


def defined_in(path: str, method: str) -> Optional[str]:
    function = inspect.getattr_static(type(resource(path)), method, None)
    if function is None:
        return None
    try:
        return relative(inspect.getsourcefile(inspect.unwrap(function)))
    except TypeError:
        return None


def our_methods() -> Iterator[Tuple[str, str]]:
    """``(resource path, method)`` for every public method of our resources, walked from a client."""
    seen: Set[int] = set()

    def walk(path: str, obj: Any) -> Iterator[Tuple[str, str]]:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        cls = type(obj)
        for name in sorted(dir(cls)):
            if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
                continue
            attr = inspect.getattr_static(cls, name)
            if isinstance(attr, (functools.cached_property, property)):
                value = getattr(obj, name)
                if type(value).__module__.startswith("letta_client.resources"):
                    yield from walk(f"{path}.{name}".lstrip("."), value)
            elif callable(attr):
                yield path, name

    yield from walk("", client())


# --- writing -----------------------------------------------------------------------------------


def short_signature(name: str) -> str:
    """``(path, *, cast_to, ...) -> T`` from our client's method, without ``self`` and defaults."""
    function = getattr(type(client()), name)
    shown: List[str] = []
    star = False
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.kind is parameter.KEYWORD_ONLY and not star:
            shown.append("*")
            star = True
        if parameter.kind is parameter.VAR_KEYWORD:
            shown.append(f"**{parameter.name}")
        elif parameter.default is parameter.empty:
            shown.append(parameter.name)
        else:
            shown.append(f"{parameter.name}=...")
    returns = inspect.signature(function).return_annotation
    return f"({', '.join(shown)}) -> {returns}"


def our_signature(path: str, method: str) -> str:
    """Our method's positional parameters, then ``**params`` for its keywords."""
    parameters = list(inspect.signature(getattr(resource(path), method)).parameters.values())
    positional = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keywords = [p for p in parameters if p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD)]
    return ", ".join(positional + (["**params"] if keywords else []))


def link(text: str, target: Optional[str]) -> str:
    return f"[{text}]({target})" if target else text


def signature(endpoint: Dict[str, Any]) -> str:
    params = [p["name"] for p in endpoint["positional"]]
    required = [k["name"] for k in endpoint["keywords"] if "default" not in k]
    rest = [k for k in endpoint["keywords"] if "default" in k]
    shown = ", ".join(params + (["*", *required] if required else []))
    if rest:
        shown += (", " if shown else "") + "**params"
    return shown


def params_module(endpoint: Dict[str, Any]) -> Optional[str]:
    for key in ("body", "query"):
        value = endpoint.get(key)
        if value and "." in value:
            name = value.split(".")[0]
            origin = endpoint["imports"].get(name)
            if origin:
                package, _, module = origin.partition(":")
                return f"{package}.{module}"
    return None


def method_line(path: str, method: str, endpoint: Dict[str, Any]) -> str:
    call = f"client.{path}.{method}" if path else f"client.{method}"
    params = params_module(endpoint)
    line = f"- `{call}({signature(endpoint)}) -> {endpoint['returns']}`"
    line += f" — `{endpoint['verb']} {endpoint['path']}`"
    if params:
        line += f" · {link('params', module_file(params))}"
    source = defined_in(path, method)
    if source is None:
        raise SystemExit(f"client.{path}.{method} is in the official SDK but not on ours")
    return line + f" · {link('source', source)}"


def exported(api: Dict[str, Any]) -> Dict[str, Tuple[str, str]]:
    """``module -> (package, name)`` for the names the type packages export, in package order."""
    names: Dict[str, Tuple[str, str]] = {}
    for package, entry in api["types"].items():
        if entry.get("names"):
            continue  # a module, not a package
        for name, origin in entry["imports"].items():
            names.setdefault(f"{package}:{name}", (package, origin.partition(":")[0]))
    return names


def used_modules(api: Dict[str, Any], modules: Set[str]) -> Set[str]:
    """The type modules these modules use, directly or through others."""
    seen: Set[str] = set()
    todo = list(modules)
    while todo:
        module = todo.pop()
        if module in seen or module not in api["types"]:
            continue
        seen.add(module)
        todo += [origin.partition(":")[0] for origin in api["types"][module]["imports"].values()]
    return seen


def types_block(packages: Dict[str, List[str]]) -> List[str]:
    lines: List[str] = ["```python"]
    for package, names in packages.items():
        one_line = f"from {package} import {', '.join(names)}"
        if len(one_line) <= 100:
            lines.append(one_line)
        else:
            lines += [f"from {package} import (", *(f"    {name}," for name in names), ")"]
    return [*lines, "```", ""]


def render() -> str:
    api = load_api()
    endpoints: Dict[str, Any] = api["endpoints"]
    exports = exported(api)
    claimed: Set[str] = set()
    ours: Dict[str, List[str]] = {}
    official = set(endpoints)
    for path, method in our_methods():
        full = f"{path}.{method}".lstrip(".")
        if full not in official and full not in CLIENT_METHODS:
            if full not in OURS:
                raise SystemExit(f"client.{full} is ours and undocumented: add it to OURS in scripts/api_md.py")
            ours.setdefault(path, []).append(method)
    stale = set(OURS) - {f"{p}.{m}".lstrip(".") for p, ms in ours.items() for m in ms}
    if stale:
        raise SystemExit(f"OURS names methods our client does not have: {sorted(stale)}")

    lines = [HEADER, "## Contents", ""]
    sections: List[Tuple[str, List[str]]] = [("", []), *order()]
    for path, _ in sections:
        title = path or "client"
        anchor = title.replace(".", "")
        lines.append(f"{'  ' * path.count('.')}- [{title}](#{anchor})")
    lines += ["- [Other types](#other-types)", "- [Type modules](#type-modules)", ""]

    for path, methods in sections:
        depth = 2 + path.count(".") if path else 2
        lines += [f"{'#' * depth} {path or 'client'}", ""]
        modules: Set[str] = set()
        for method in methods:
            for origin in endpoints[f"{path}.{method}"]["imports"].values():
                package, _, name = origin.partition(":")
                modules.add(package if name[:1].isupper() else f"{package}.{name}")
        if not path:
            modules.add("letta_client.types.health_response")
        modules = used_modules(api, modules)
        packages: Dict[str, List[str]] = {}
        for key, (package, module) in exports.items():
            if module in modules and key not in claimed:
                claimed.add(key)
                packages.setdefault(package, []).append(key.partition(":")[2])
        if packages:
            lines += ["Types:", "", *types_block(packages)]
        lines += ["Methods:", ""]
        if not path:
            for name, what in CLIENT_METHODS.items():
                lines.append(
                    f"- `client.{name}{short_signature(name)}`: {what} · {link('source', defined_in('', name))}"
                )
        for method in methods:
            lines.append(method_line(path, method, endpoints[f"{path}.{method}"]))
        for method in ours.get(path, []):
            what, page = OURS[f"{path}.{method}".lstrip(".")]
            call = f"client.{path}.{method}({our_signature(path, method)})"
            source = defined_in(path, method)
            lines.append(f"- **ours** `{call}`: {what} ([guide]({page})) · {link('source', source)}")
        lines.append("")

    lines += ["## Other types", "", "Exported by the type packages and used by no method:", ""]
    rest: Dict[str, List[str]] = {}
    for key, (package, _) in exports.items():
        if key not in claimed:
            rest.setdefault(package, []).append(key.partition(":")[2])
    lines += types_block(rest)

    lines += ["## Type modules", "", "Every module under `letta_client.types` and the names it defines:", ""]
    for module, entry in api["types"].items():
        names = entry.get("all") or [item["name"] for item in entry.get("names") or []]
        if not entry.get("names"):
            continue
        lines.append(f"- {link(f'`{module}`', module_file(module))}: {', '.join(names)}")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- the official order, read from a wheel -------------------------------------------------------


def order_from_wheel(wheel: str) -> str:
    sys.path.insert(0, str(ROOT / "scripts"))
    import official_api

    with zipfile.ZipFile(wheel) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".py")}
    classes: Dict[str, Any] = {}
    for path in sorted(files):
        if path.startswith(official_api.PKG + "resources/") and not path.endswith("__init__.py"):
            classes.update(official_api.describe_resource_module(official_api._module_of(path), files[path]))
    source = files[official_api.PKG + "_client.py"].replace("class Letta(", "class LettaResource(")
    root = official_api.describe_resource_module("letta_client._client", source)
    classes["root"] = root["letta_client._client:LettaResource"]
    lines: List[str] = []

    def walk(prefix: str, class_name: str) -> None:
        entry = classes[class_name]
        if prefix:
            lines.append(f"{prefix}: {' '.join(entry['methods'])}")
        for child, child_class in entry["children"].items():
            if child_class in classes:
                walk(f"{prefix}.{child}".lstrip("."), child_class)

    walk("", "root")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if api.md is stale")
    parser.add_argument("--order", metavar="WHEEL", help="print the official order read from a wheel")
    args = parser.parse_args(argv)
    if args.order:
        sys.stdout.write(order_from_wheel(args.order))
        return 0
    text = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("api.md is stale: run python scripts/api_md.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
