"""The layout rules the code must keep, checked from the source and the package itself.

* no import cycle in ``letta_client``, counting ``TYPE_CHECKING`` imports and imports inside
  functions, and no hand-written module over 600 non-blank lines;
* dependency hygiene: every runtime dependency of ``pyproject.toml`` is imported by ``src/``, and
  every third-party import of ``src/`` (``testing/`` included) is a declared dependency;
* one export table: ``letta_client.__all__``, its lazy exports and its ``TYPE_CHECKING`` imports agree;
* one message-type registry: the tables derived from the unions agree with ``MessageType``;
* sync/async parity: every public ``AsyncX`` class has a twin ``X`` (or ``SyncX``) with the same
  methods and signatures, apart from ``async`` (found generically, so new resources are covered).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

import pytest

import letta_client

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "letta_client"
PYPROJECT = SRC.parent / "pyproject.toml"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> Dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> Iterator[Tuple[str, Optional[str]]]:
    """Every ``(module, imported name)`` the source imports, anywhere in the file (top level,
    ``if TYPE_CHECKING:``, inside functions), plus ``importlib.import_module("…")`` calls."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                yield base, alias.name
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            target = node.args[0].value
            if target.startswith("."):  # import_module(".x", __name__) in a package's __init__
                yield f"{name}{target}", None
            else:
                yield target, None


def _import_graph() -> Dict[str, Set[str]]:
    modules = _modules()
    graph: Dict[str, Set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for module, member in _imports(name, path):
            if member is not None and f"{module}.{member}" in modules:
                graph[name].add(f"{module}.{member}")  # from package import submodule
            elif module in modules and module != name:
                graph[name].add(module)
    return graph


def _cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: List[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_counting_type_checking_and_function_level_imports() -> None:
    graph = _import_graph()
    assert graph["letta_client.resources.messages"], "the import graph is empty: the parser is broken"
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_over_600_non_blank_lines() -> None:
    """Hand-written modules only: a generated module (``scripts/generate.py``) is read through
    its description, one endpoint at a time."""
    texts = {name: path.read_text(encoding="utf-8") for name, path in _modules().items()}
    sizes = {
        name: sum(1 for line in text.splitlines() if line.strip())
        for name, text in texts.items()
        if not text.startswith("# Generated by scripts/generate.py")
    }
    assert {name: size for name, size in sizes.items() if size > MAX_LINES} == {}


# -- dependencies -------------------------------------------------------------------------------


def _requirement_names(section: str) -> Set[str]:
    """The distribution names of a ``pyproject.toml`` list (``dependencies``, or an extra)."""
    text = PYPROJECT.read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(section)} = \[(.*?)^\]", text, re.S | re.M)
    assert match is not None, section
    names = re.findall(r'^\s*"([A-Za-z0-9_.\-]+)', match.group(1), re.M)
    return {name.lower().replace("_", "-") for name in names}


def _third_party_imports(exclude: str = "") -> Set[str]:
    stdlib = sys.stdlib_module_names  # type: ignore[attr-defined]
    found: Set[str] = set()
    for name, path in _modules().items():
        if name == exclude:
            continue
        for module, _member in _imports(name, path):
            top = module.split(".")[0]
            if top and top != "letta_client" and top not in stdlib:
                found.add(top.lower().replace("_", "-"))
    return found


@pytest.mark.skipif(sys.version_info < (3, 10), reason="sys.stdlib_module_names is new in Python 3.10")
def test_every_runtime_dependency_is_imported_and_every_import_is_declared() -> None:
    declared = _requirement_names("dependencies")
    extra = _requirement_names("aiohttp")  # the ``aiohttp`` extra, imported by ``_aiohttp`` alone
    imported = _third_party_imports()
    assert {"httpx", "pydantic", "anyio"} <= imported  # the parser sees imports at all
    assert declared - imported == set(), "declared but never imported by src/"
    assert imported - declared == extra | OTEL_IMPORTS | WEB_IMPORTS, "imported by src/ but not declared"
    assert _third_party_imports(exclude="letta_client._aiohttp") - declared == OTEL_IMPORTS | WEB_IMPORTS, (
        "only _aiohttp imports the extra"
    )


OTEL_IMPORTS = {"opentelemetry"}
"""What the ``otel`` extra (``opentelemetry-api``) is imported as: by ``letta_client.otel`` alone."""


def test_only_letta_client_otel_imports_the_otel_extra() -> None:
    assert _requirement_names("otel") == {"opentelemetry-api"}
    for name, path in _modules().items():
        if name == "letta_client.otel" or name.startswith("letta_client.otel."):
            continue
        tops = {module.split(".")[0] for module, _member in _imports(name, path)}
        assert "opentelemetry" not in tops, name


WEB_IMPORTS = {"starlette", "uvicorn"}
"""What the ``web`` extra is imported as: by the ASGI helpers and the demo alone."""
WEB_EXTRA_MODULES = {"letta_client.web.asgi", "letta_client.web._demo"}


def test_only_the_asgi_helpers_and_the_demo_import_the_web_extra() -> None:
    assert _requirement_names("web") == WEB_IMPORTS
    for name, path in _modules().items():
        tops = {module.split(".")[0] for module, _member in _imports(name, path)}
        if name not in WEB_EXTRA_MODULES:
            assert not tops & WEB_IMPORTS, name


def test_the_web_core_loads_without_the_web_extra() -> None:
    code = (
        "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None; "
        "import letta_client.web, letta_client.web.ui_message_stream, letta_client.web.agui, letta_client.web.letta_sse"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_httpx_sse_is_the_decoders_test_oracle_not_a_runtime_dependency() -> None:
    assert "httpx-sse" not in _requirement_names("dependencies")
    assert "httpx-sse" in _requirement_names("dev")


# -- one export table ---------------------------------------------------------------------------


def test_all_lazy_exports_and_type_checking_imports_agree() -> None:
    table: Dict[str, Tuple[str, ...]] = letta_client._EXPORTS  # pyright: ignore[reportPrivateUsage]
    exported = {name for names in table.values() for name in names}
    assert set(letta_client.__all__) == exported | {"__version__"}
    assert len(letta_client.__all__) == len(set(letta_client.__all__))
    type_checking: Dict[str, Set[str]] = {}
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                for alias in statement.names:
                    assert alias.asname == alias.name, f"{alias.name} is not re-exported explicitly"
                    type_checking.setdefault("." * statement.level + (statement.module or ""), set()).add(alias.name)
    assert type_checking == {module: set(names) for module, names in table.items()}
    for module, names in table.items():
        defined = importlib.import_module(module, "letta_client")
        for name in names:
            assert getattr(letta_client, name) is getattr(defined, name)


# -- one message-type registry ------------------------------------------------------------------


def test_message_type_tables_come_from_the_unions() -> None:
    from typing import get_args

    from letta_client import _decode
    from letta_client.types import messages

    assert set(messages.MESSAGE_MODELS) == set(get_args(messages.MessageType))
    assert list(_decode.MODELS) == list(messages.EVENT_MODELS)
    assert set(_decode.MESSAGES) == set(messages.MESSAGE_MODELS.values())
    controls = set(messages.EVENT_MODELS) - set(messages.MESSAGE_MODELS)
    assert controls == {"ping", "stop_reason", "usage_statistics", "error_message"}


# -- sync/async parity --------------------------------------------------------------------------

_ASYNC_NAMES = {
    "aclose": "close",
    "aread": "read",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "handle_async_request": "handle_request",  # httpx's transport interface
}
_PROTOCOL = set(_ASYNC_NAMES.values())


def _all_classes() -> Dict[str, type]:
    for info in pkgutil.walk_packages(letta_client.__path__, "letta_client."):
        importlib.import_module(info.name)
    classes: Dict[str, type] = {}
    for module_name, module in list(sys.modules.items()):
        if module_name == "letta_client" or module_name.startswith("letta_client."):
            for value in vars(module).values():
                if inspect.isclass(value) and value.__module__ == module_name:
                    classes[value.__name__] = value
    return classes


def twin_pairs() -> List[Tuple[type, type]]:
    """Every public ``AsyncX`` class with its sync twin ``X`` or ``SyncX`` (TypedDicts and
    models, which are data rather than behaviour, are left out)."""
    classes = _all_classes()
    pairs: List[Tuple[type, type]] = []
    for name, async_class in sorted(classes.items()):
        if not name.startswith("Async") or _is_data(async_class):
            continue
        sync_class = classes.get(name[len("Async") :]) or classes.get("Sync" + name[len("Async") :])
        if sync_class is not None:
            pairs.append((sync_class, async_class))
    return pairs


def _is_data(cls: type) -> bool:
    return hasattr(cls, "__total__") or hasattr(cls, "model_fields")


def _members(cls: type, *, is_async: bool) -> Dict[str, Any]:
    """Public methods and properties (and the iteration/context protocols), by their sync name."""
    members: Dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("letta_client"):
            for name, value in vars(klass).items():
                public = not name.startswith("_") or name in _PROTOCOL or name in _ASYNC_NAMES
                if public and (callable(value) or isinstance(value, (property,)) or hasattr(value, "__get__")):
                    members[_ASYNC_NAMES.get(name, name) if is_async else name] = value
    return members


_NEUTRAL = re.compile(r"\b(?:Async|Sync)|Awaitable\[|Coroutine\[Any,\s*Any,\s*|\]|\s")


def _signature(value: Any) -> Optional[List[Tuple[str, Any, str, str]]]:
    function = value.fget if isinstance(value, property) else getattr(value, "__func__", value)
    if not callable(function):
        return None
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    return [
        (parameter.name, parameter.kind, repr(parameter.default), _NEUTRAL.sub("", str(parameter.annotation)))
        for parameter in signature.parameters.values()
    ]


def parity_differences(sync_class: type, async_class: type) -> List[str]:
    sync_members = _members(sync_class, is_async=False)
    async_members = _members(async_class, is_async=True)
    problems = [f"only {sync_class.__name__} has {name}" for name in sorted(set(sync_members) - set(async_members))]
    problems += [f"only {async_class.__name__} has {name}" for name in sorted(set(async_members) - set(sync_members))]
    for name in sorted(set(sync_members) & set(async_members)):
        if isinstance(sync_members[name], property) != isinstance(async_members[name], property):
            problems.append(f"{name}: a property on one side only")
        elif _signature(sync_members[name]) != _signature(async_members[name]):
            problems.append(
                f"{name}: {sync_class.__name__}{_signature(sync_members[name])} != "
                f"{async_class.__name__}{_signature(async_members[name])}"
            )
    return problems


def test_the_twins_are_found() -> None:
    names = {async_class.__name__ for _sync, async_class in twin_pairs()}
    expected = {"AsyncLetta", "AsyncMessages", "AsyncRuns", "AsyncRunMessages", "AsyncStream", "AsyncPage"}
    assert expected <= names
    assert {"AsyncToolRunnerStream", "AsyncConversations"} <= names


@pytest.mark.parametrize("pair", twin_pairs(), ids=lambda pair: pair[1].__name__)
def test_sync_and_async_twins_have_the_same_methods_and_signatures(pair: Tuple[type, type]) -> None:
    assert parity_differences(*pair) == []


def test_parity_fails_when_one_twin_gains_a_method() -> None:
    class Thing:
        def get(self, thing_id: str, *, limit: int = 1) -> Thing:
            raise NotImplementedError

    class AsyncThing:
        async def get(self, thing_id: str, *, limit: int = 1) -> AsyncThing:
            raise NotImplementedError

        async def extra(self) -> None:
            raise NotImplementedError

    class OtherThing:
        def get(self, thing_id: str, *, limit: int = 2) -> Thing:
            raise NotImplementedError

    Thing.__module__ = AsyncThing.__module__ = OtherThing.__module__ = "letta_client.example"
    assert parity_differences(Thing, AsyncThing) == ["only AsyncThing has extra"]
    assert len(parity_differences(OtherThing, AsyncThing)) == 2  # extra, and the default of limit


def test_importing_the_clients_does_not_load_pydantic() -> None:
    """`import letta_client` and `from letta_client import Letta` stay cheap: the models and pydantic
    load on first use (an `AsyncLetta` loads them at construction, off the event loop's first call)."""
    code = (
        "import sys\n"
        "from letta_client import Letta\n"
        "Letta(base_url='http://127.0.0.1:9', api_key='k').close()\n"
        "print(sorted(m for m in ('pydantic', 'pydantic_core') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
