"""Declaring client tools: ``@tool`` turns a Python function into a ``ClientTool``.

``@tool`` keeps the function callable with its own signature; it adds ``name``, ``description``,
``parameters`` (a JSON Schema built from the type hints by pydantic) and ``to_param()`` (the
``client_tools`` entry). The model's arguments are validated and coerced with the same pydantic
model before the function is called.
"""

from __future__ import annotations

import inspect
import json
import re
from typing import (
    Any,
    Callable,
    Dict,
    Generic,
    List,
    Literal,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
    get_type_hints,
    overload,
)

import pydantic
from typing_extensions import ParamSpec

from .._exceptions import ToolArgumentsError
from ..types.params import ClientToolParam

__all__ = ["ClientTool", "tool"]

P = ParamSpec("P")
R = TypeVar("R")

# -- declaring tools --------------------------------------------------------------------------


class ClientTool(Generic[P, R]):
    """A Python function the agent can call; the client runs it.

    Calling the tool calls the function unchanged. ``invoke(arguments)`` validates a mapping of
    arguments (as the model sent them) and calls the function with the coerced values.
    """

    name: str
    description: Optional[str]
    parameters: Dict[str, Any]

    def __init__(
        self,
        function: Callable[P, R],
        *,
        name: Optional[str] = None,
        description: Optional[str] = None,
        parameters: Optional[Mapping[str, Any]] = None,
        _namespace: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.function = function
        self.name = name or str(getattr(function, "__name__", ""))
        if not self.name or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", self.name):
            raise ValueError(f"invalid tool name {self.name!r}: use 1-64 letters, digits, '_' or '-'")
        doc = inspect.getdoc(function) or ""
        self.description = description if description is not None else (_summary(doc) or None)
        namespace = _namespace if _namespace is not None else _caller_namespace(1)
        self._model, self._positional = _arguments_model(function, self.name, namespace)
        if parameters is not None:
            self.parameters = dict(parameters)
        else:
            self.parameters = _schema(self._model, _documented_params(doc))
        self.is_async = inspect.iscoroutinefunction(function)

    @classmethod
    def from_function(
        cls,
        function: Callable[P, R],
        *,
        name: Optional[str] = None,
        description: Optional[str] = None,
        parameters: Optional[Mapping[str, Any]] = None,
    ) -> ClientTool[P, R]:
        """Declare a tool: ``name`` defaults to the function's name, ``description`` to the first
        paragraph of its docstring, ``parameters`` to a JSON Schema of its signature."""
        namespace = _caller_namespace(1)
        return cls(function, name=name, description=description, parameters=parameters, _namespace=namespace)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"ClientTool(name={self.name!r})"

    def to_param(self) -> ClientToolParam:
        """The ``client_tools`` entry that declares this tool to the agent."""
        param: ClientToolParam = {"name": self.name}
        if self.description is not None:
            param["description"] = self.description
        param["parameters"] = self.parameters
        return param

    def parse_arguments(self, arguments: Union[str, Mapping[str, Any], None]) -> Dict[str, Any]:
        """The model's arguments (a JSON string or a mapping), validated and coerced.

        Raises ``ToolArgumentsError`` with a message meant for the agent."""
        if arguments is None or isinstance(arguments, str):
            text = arguments if arguments and arguments.strip() else "{}"
            try:
                decoded: object = json.loads(text)
            except ValueError as error:
                raise ToolArgumentsError(f"invalid JSON arguments: {error}") from None
        else:
            decoded = dict(arguments)
        if not isinstance(decoded, dict):
            raise ToolArgumentsError(f"invalid JSON arguments: expected an object, got {type(decoded).__name__}")
        try:
            model = self._model.model_validate(decoded)
        except pydantic.ValidationError as error:
            raise ToolArgumentsError(f"invalid arguments for {self.name}: {_problems(error)}") from None
        values = {key: getattr(model, key) for key in type(model).model_fields}
        values.update(model.model_extra or {})
        return values

    def invoke(self, arguments: Union[str, Mapping[str, Any], None]) -> R:
        """Validate the arguments and call the function (an async function returns its coroutine)."""
        return self.call_with(self.parse_arguments(arguments))

    def call_with(self, values: Mapping[str, Any]) -> R:
        """Call the function with arguments already returned by ``parse_arguments``."""
        keywords = dict(values)
        args = [keywords.pop(key) for key in self._positional]
        return cast(Callable[..., R], self.function)(*args, **keywords)


@overload
def tool(function: Callable[P, R], /) -> ClientTool[P, R]: ...
@overload
def tool(
    *,
    name: Optional[str] = None,
    description: Optional[str] = None,
    parameters: Optional[Mapping[str, Any]] = None,
) -> Callable[[Callable[P, R]], ClientTool[P, R]]: ...
def tool(
    function: Optional[Callable[P, R]] = None,
    /,
    *,
    name: Optional[str] = None,
    description: Optional[str] = None,
    parameters: Optional[Mapping[str, Any]] = None,
) -> Union[ClientTool[P, R], Callable[[Callable[P, R]], ClientTool[P, R]]]:
    """Declare a client tool: ``@tool`` or ``@tool(name=..., description=..., parameters=...)``.

    The function may be sync or ``async``. What it returns goes back to the agent: a ``str`` as is,
    an image as an image part (``image(png_bytes)`` or ``image(data, "image/jpeg")``, the SDK's
    ``ImageContent``, or a PIL image when Pillow is installed), a list or tuple holding images and
    text as several parts (``["the chart:", image(png)]``), anything else as JSON text. An
    exception becomes a ``status: "error"`` return carrying its message.
    """
    if function is not None:
        return ClientTool(function, _namespace=_caller_namespace(1))

    def decorate(fn: Callable[P, R]) -> ClientTool[P, R]:
        namespace = _caller_namespace(1)
        return ClientTool(fn, name=name, description=description, parameters=parameters, _namespace=namespace)

    return decorate


def _caller_namespace(depth: int) -> Dict[str, Any]:
    """The local names where the tool is declared, so that string annotations naming local
    classes resolve (as pydantic does for models)."""
    frame = inspect.currentframe()
    for _ in range(depth + 1):
        frame = frame.f_back if frame is not None else None
    return dict(frame.f_locals) if frame is not None else {}


def _arguments_model(
    function: Callable[..., Any], name: str, namespace: Mapping[str, Any]
) -> Tuple[Type[pydantic.BaseModel], List[str]]:
    """A pydantic model of the function's parameters, and the names that must go by position."""
    signature = inspect.signature(function)
    try:
        hints = get_type_hints(function, localns=dict(namespace), include_extras=True)
    except Exception:  # unresolvable forward references: fall back to the raw annotations
        hints = {}
    fields: Dict[str, Any] = {}
    positional: List[str] = []
    extra: Literal["allow", "ignore"] = "ignore"
    for param in signature.parameters.values():
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            raise TypeError(f"tool {name!r}: *{param.name} cannot be filled from named arguments")
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            extra = "allow"
            continue
        annotation = hints.get(param.name, param.annotation)
        if annotation is inspect.Parameter.empty:
            annotation = Any
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (annotation, default)
        if param.kind is inspect.Parameter.POSITIONAL_ONLY:
            positional.append(param.name)
    config = pydantic.ConfigDict(extra=extra, arbitrary_types_allowed=True)
    model = pydantic.create_model(f"{name}_arguments", __config__=config, **fields)
    return model, positional


def _schema(model: Type[pydantic.BaseModel], documented: Mapping[str, str]) -> Dict[str, Any]:
    schema = model.model_json_schema()
    schema.pop("title", None)
    properties: Dict[str, Any] = schema.setdefault("properties", {})
    for key, prop in properties.items():
        if isinstance(prop, dict):
            entry = cast(Dict[str, Any], prop)
            entry.pop("title", None)
            if key in documented and "description" not in entry:
                entry["description"] = documented[key]
    if model.model_config.get("extra") == "allow":
        schema["additionalProperties"] = True
    ordered: Dict[str, Any] = {"type": "object", "properties": properties}
    if schema.get("required"):
        ordered["required"] = schema["required"]
    ordered.update((k, v) for k, v in schema.items() if k not in ordered)
    return ordered


def _summary(doc: str) -> str:
    """The docstring's first paragraph, on one line."""
    paragraph = doc.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines()).strip()


_SECTION = re.compile(r"^(Args|Arguments|Parameters|Params):\s*$")
_ENTRY = re.compile(r"^(\*{0,2}\w+)\s*(\([^)]*\))?\s*:\s*(.*)$")


def _documented_params(doc: str) -> Dict[str, str]:
    """Parameter descriptions from a Google-style ``Args:`` section."""
    found: Dict[str, str] = {}
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        if not _SECTION.match(line.strip()):
            continue
        current: Optional[str] = None
        indent: Optional[int] = None
        for entry in lines[index + 1 :]:
            if not entry.strip():
                continue
            depth = len(entry) - len(entry.lstrip())
            if depth == 0:
                break
            if indent is None:
                indent = depth
            match = _ENTRY.match(entry.strip())
            if depth == indent and match:
                key = str(match.group(1)).lstrip("*")
                found[key] = str(match.group(3)).strip()
                current = key
            elif current is not None and depth > indent:
                found[current] = f"{found[current]} {entry.strip()}".strip()
        break
    return found


def _problems(error: pydantic.ValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in error.errors()]
    return "; ".join(parts)
