"""Every response model of the official SDK has its fields typed the same way in ours, down to the
leaves: a field the official types as a model, a list or a dict of models is that model here too.

The official side is read from ``scripts/api.json`` (written from the official wheel by
``scripts/official_api.py``): each model's field annotations as source text, resolved through the
module's own names and imports. Ours is read from the live classes (``model_fields``). Both are
brought to one canonical form (models by class name, unions as sets, ``Optional`` as a union
with ``None``, ``Literal`` values as a set, ``Annotated`` metadata dropped) and compared.
Fields we add beyond the official's are allowed.
"""

from __future__ import annotations

import ast
import datetime as _datetime
import importlib
import json
import typing
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Tuple, Union

import pydantic
import pydantic_core
import pytest
import typing_extensions

API = json.loads((Path(__file__).resolve().parents[2] / "scripts" / "api.json").read_text(encoding="utf-8"))
TYPES: Dict[str, Any] = API["types"]

Canonical = Union[str, Tuple[Any, ...]]

PRIMITIVES = {"str": "str", "int": "int", "float": "float", "bool": "bool", "object": "object", "datetime": "datetime"}
PRIMITIVES.update({"date": "date", "None": "None", "bytes": "bytes", "Any": "object", "dict": "dict", "list": "list"})


def union(members: List[Canonical]) -> Canonical:
    flat: List[Canonical] = []
    for member in members:
        if isinstance(member, tuple) and member[0] == "union":
            flat.extend(member[1])
        else:
            flat.append(member)
    unique = frozenset(flat)
    return next(iter(unique)) if len(unique) == 1 else ("union", unique)


def literal(values: List[Any]) -> Canonical:
    return ("literal", frozenset(values))


class Official:
    """The official annotation text of one module, resolved to the canonical form."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.entry = TYPES[module]
        self.local = {item["name"]: item for item in self.entry["names"]}

    def resolve_name(self, name: str, seen: FrozenSet[str]) -> Canonical:
        if name in PRIMITIVES:
            return PRIMITIVES[name]
        item = self.local.get(name)
        if item is None and name in self.entry["imports"]:
            module, original = self.entry["imports"][name].split(":")
            if module in TYPES:
                return Official(module).resolve_name(original, seen)
            if f"{module}.{original}" in TYPES:  # a submodule imported as a name
                return ("module", f"{module}.{original}")
            raise LookupError(f"{self.module}: {name} from {module}")
        if item is None:
            raise LookupError(f"{self.module}: unknown name {name}")
        if item["kind"] == "alias":
            key = f"{self.module}:{name}"
            if key in seen:
                return ("recursive", name)
            return self.canonical(ast.parse(item["type"], mode="eval").body, seen | {key})
        return ("model", f"{self.module}:{name}")

    def canonical(self, node: ast.expr, seen: FrozenSet[str] = frozenset()) -> Canonical:
        if isinstance(node, ast.Constant):
            if node.value is None:
                return "None"
            if isinstance(node.value, str):  # a forward reference
                return self.canonical(ast.parse(node.value, mode="eval").body, seen)
            raise TypeError(node.value)
        if isinstance(node, ast.Name):
            return self.resolve_name(node.id, seen)
        if isinstance(node, ast.Attribute):  # module.Name
            assert isinstance(node.value, ast.Name)
            module, original = self.entry["imports"][node.value.id].split(":")
            return Official(f"{module}.{original}").resolve_name(node.attr, seen)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return union([self.canonical(node.left, seen), self.canonical(node.right, seen)])
        assert isinstance(node, ast.Subscript), ast.dump(node)
        head = ast.unparse(node.value)
        elts = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "Literal":
            return literal([ast.literal_eval(elt) for elt in elts])
        if head == "Annotated":
            return self.canonical(elts[0], seen)
        if head == "Optional":
            return union([self.canonical(elts[0], seen), "None"])
        if head == "Union":
            return union([self.canonical(elt, seen) for elt in elts])
        if head in ("List", "list", "Sequence", "Iterable"):
            return ("list", self.canonical(elts[0], seen))
        if head in ("Dict", "dict", "Mapping"):
            return ("dict", self.canonical(elts[0], seen), self.canonical(elts[1], seen))
        raise TypeError(f"{self.module}: {ast.unparse(node)}")


def ours(annotation: Any) -> Canonical:
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if annotation is type(None) or annotation is None:
        return "None"
    if annotation is typing.Any or annotation is object:
        return "object"
    if origin in (typing.Annotated, typing_extensions.Annotated):
        return ours(arguments[0])
    if origin in (typing.Literal, typing_extensions.Literal):
        return literal(list(arguments))
    if origin is Union or (origin is not None and getattr(origin, "__name__", "") == "UnionType"):
        return union([ours(argument) for argument in arguments])
    if origin in (list, List, typing.Sequence):
        return ("list", ours(arguments[0]) if arguments else "object")
    if origin in (dict, Dict, typing.Mapping):
        return ("dict", ours(arguments[0]), ours(arguments[1])) if arguments else ("dict", "str", "object")
    if isinstance(annotation, type):
        if issubclass(annotation, pydantic.BaseModel):
            return ("model", annotation.__name__)
        if issubclass(annotation, _datetime.datetime):
            return "datetime"
        if annotation in (dict, list):
            return ("dict", "str", "object") if annotation is dict else ("list", "object")
        return annotation.__name__
    raise TypeError(repr(annotation))


def normalise(value: Canonical) -> Canonical:
    """Bare ``dict``/``list`` in an official annotation mean ``Dict[str, object]``/``List[object]``."""
    if value == "dict":
        return ("dict", "str", "object")
    if value == "list":
        return ("list", "object")
    if isinstance(value, tuple):
        if value[0] == "union":
            return union([normalise(member) for member in value[1]])
        if value[0] in ("list", "dict"):
            return (value[0], *(normalise(part) for part in value[1:]))
    return value


def members(value: Canonical) -> List[Canonical]:
    return list(value[1]) if isinstance(value, tuple) and value[0] == "union" else [value]


class Comparison:
    """Whether our annotations read as the official's, field by field, down to the leaves."""

    def __init__(self) -> None:
        self.assumed: Dict[Tuple[str, str, Any], bool] = {}

    def model(self, module: str, name: str, ours_class: Any, where: str) -> List[str]:
        key = (module, name, ours_class)
        if key in self.assumed:  # a recursive model: assume the fields under way match
            return []
        self.assumed[key] = True
        if not (isinstance(ours_class, type) and issubclass(ours_class, pydantic.BaseModel)):
            return [f"{where}: the official's {name} is a model, ours is {ours_class!r}"]
        official = Official(module)
        fields = ours_class.model_fields
        found: List[str] = []
        for field in official.local[name]["fields"]:
            ours_field = fields.get(field["name"])
            if ours_field is None:
                found.append(f"{where}.{field['name']}: missing")
                continue
            expected = normalise(official.canonical(ast.parse(field["type"], mode="eval").body))
            has_default = ours_field.default not in (None, pydantic_core.PydanticUndefined) or (
                ours_field.default_factory is not None
            )
            found += self.value(expected, ours_field.annotation, f"{where}.{field['name']}", has_default)
        return found

    def value(self, expected: Canonical, annotation: Any, where: str, has_default: bool = False) -> List[str]:
        got = normalise(ours(annotation))
        wanted = members(expected)
        offered = members(got)
        ours_members = flat_members(annotation)
        problems: List[str] = []
        if "None" in offered and "None" not in wanted:
            problems.append(f"{where}: ours may be None, the official's may not")
        if "None" in wanted and "None" not in offered and not (has_default or is_tag(wanted)):
            problems.append(f"{where}: the official's may be None, ours may not")
        widened = "str" in offered and "str" not in wanted and any(is_literal(member) for member in wanted)
        for member in wanted:
            if member == "None":
                continue
            if not any(self.fits(member, ours_member, where) == [] for ours_member in ours_members):
                problems.append(f"{where}: official {member}, ours {got}")
        for member in offered:
            if member in ("None", "str") and (member == "None" or widened):
                continue
            if isinstance(member, tuple) and member[0] == "model":
                continue  # a model ours adds to a union (the unknown message...) keeps data a newer server sends
            if not any(covers(want, member) for want in wanted):
                problems.append(f"{where}: ours also allows {member}, the official does not")
        return problems

    def fits(self, member: Canonical, ours_member: Any, where: str) -> List[str]:
        if isinstance(member, tuple) and member[0] == "model":
            module, name = member[1].split(":") if ":" in member[1] else ("", member[1])
            if not (isinstance(ours_member, type) and issubclass(ours_member, pydantic.BaseModel)):
                return ["not a model"]
            return self.model(module, name, ours_member, f"{where}<{name}>")
        got = normalise(ours(ours_member))
        if isinstance(member, tuple) and member[0] == "literal":
            return [] if isinstance(got, tuple) and got[0] == "literal" and got[1] >= member[1] else ["literal"]
        if isinstance(member, tuple) and member[0] == "list":
            inner = typing.get_args(strip(ours_member))
            if not (isinstance(got, tuple) and got[0] == "list" and inner):
                return ["not a list"]
            return self.value(member[1], inner[0], f"{where}[]")
        if isinstance(member, tuple) and member[0] == "dict":
            inner = typing.get_args(strip(ours_member))
            if not (isinstance(got, tuple) and got[0] == "dict"):
                return ["not a dict"]
            return (
                self.value(member[2], inner[1], f"{where}{{}}")
                if inner
                else ([] if member[2] == "object" else ["dict"])
            )
        return [] if got == member else [f"{got} != {member}"]


def strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) in (typing.Annotated, typing_extensions.Annotated):
        annotation = typing.get_args(annotation)[0]
    return annotation


def flat_members(annotation: Any) -> List[Any]:
    annotation = strip(annotation)
    origin = typing.get_origin(annotation)
    if origin is Union or (origin is not None and getattr(origin, "__name__", "") == "UnionType"):
        return [member for argument in typing.get_args(annotation) for member in flat_members(argument)]
    return [annotation]


def is_literal(value: Canonical) -> bool:
    return isinstance(value, tuple) and value[0] == "literal"


def is_tag(wanted: List[Canonical]) -> bool:
    """``Optional[Literal["assistant_message"]]``: a tag, which ours always carries."""
    tags = [member for member in wanted if member != "None"]
    return len(tags) == 1 and is_literal(tags[0]) and len(tags[0][1]) == 1


def covers(wanted: Canonical, member: Canonical) -> bool:
    if wanted == member:
        return True
    if is_literal(wanted) and is_literal(member):
        return True  # values beyond the official's: a newer server's, kept
    return (
        isinstance(wanted, tuple)
        and isinstance(member, tuple)
        and wanted[0] == member[0]
        and wanted[0] in ("list", "dict")
    )


def official_models() -> List[Tuple[str, str]]:
    return [
        (module, item["name"])
        for module, entry in sorted(TYPES.items())
        for item in entry["names"]
        if item["kind"] == "model"
    ]


def differences(module: str, name: str) -> List[str]:
    ours_class = getattr(importlib.import_module(module), name, None)
    return Comparison().model(module, name, ours_class, f"{module.split('.', 2)[2]}.{name}")


MODELS = official_models()


def test_every_official_model_is_covered() -> None:
    assert len(MODELS) >= 190


@pytest.mark.parametrize(("module", "name"), MODELS, ids=[f"{m.split('.', 2)[2]}.{n}" for m, n in MODELS])
def test_fields_are_typed_as_the_official_types_them(module: str, name: str) -> None:
    assert differences(module, name) == []
