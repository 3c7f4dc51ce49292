"""Describe the official SDK's API surface (letta-client 1.12.1) as data: every resource method
and every ``letta_client.types`` module, read from the wheel's source with ``ast``.

Usage (the official wheel is never a dependency; download it into a scratch directory first):

    pip download --no-deps letta-client==1.12.1 -d SCRATCH
    python scripts/official_api.py SCRATCH/letta_client-1.12.1-py3-none-any.whl > scripts/api.json
    python scripts/generate.py          # writes the generated modules from scripts/api.json
    python scripts/official_api.py --surface SCRATCH/letta_client-1.12.1-py3-none-any.whl \\
        > tests/compat/official_surface.json   # what tests/compat/test_compat_surface.py holds us to

``--surface`` writes only the names: each method's positional and keyword parameters, and each
type module's public names.

Only facts are kept: names, field names, wire names, annotations, HTTP methods and paths, and
which params type goes into the body or the query. No docstring, comment or code body is kept.

The output has two parts:

* ``endpoints``: one entry per method, keyed ``resource.path.method`` — HTTP method, path
  template, the positional and keyword arguments with their annotations, where each params
  type goes, the response type and its shape (model, page, stream, none, text, multipart);
* ``types``: one entry per type module — its public names (``__all__``), the names it imports
  from other type modules, and each class (model or TypedDict: fields with annotation, default
  and wire name) or alias (a union, a literal).
"""

from __future__ import annotations

import ast
import json
import re
import sys
import zipfile
from typing import Any, Dict, List, Optional

PKG = "letta_client/"
OPTIONS = {"extra_headers", "extra_query", "extra_body", "timeout"}
VERBS = {"_get": "GET", "_post": "POST", "_patch": "PATCH", "_put": "PUT", "_delete": "DELETE", "_get_api_list": "GET"}


def _module_of(path: str) -> str:
    return path[: -len(".py")].replace("/", ".").removesuffix(".__init__")


def _absolute(module: str, is_package: bool, level: int, target: Optional[str]) -> str:
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: -(level - 1)]
    return ".".join(parts + ([target] if target else []))


def _src(node: Optional[ast.AST]) -> Optional[str]:
    return None if node is None else ast.unparse(node)


# --- types --------------------------------------------------------------------------------------


def _class(node: ast.ClassDef) -> Dict[str, Any]:
    bases = [ast.unparse(base) for base in node.bases]
    total = next((ast.unparse(k.value) for k in node.keywords if k.arg == "total"), "True")
    kind = "typeddict" if "TypedDict" in bases else "model"
    fields: List[Dict[str, Any]] = []
    for item in node.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            field: Dict[str, Any] = {"name": item.target.id, "type": ast.unparse(item.annotation)}
            value = item.value
            if isinstance(value, ast.Call) and ast.unparse(value.func) == "FieldInfo":
                for keyword in value.keywords:
                    if keyword.arg == "alias":
                        field["alias"] = ast.literal_eval(keyword.value)
                    elif keyword.arg == "default":
                        field["default"] = ast.unparse(keyword.value)
            elif value is not None:
                field["default"] = ast.unparse(value)
            fields.append(field)
    entry: Dict[str, Any] = {"kind": kind, "fields": fields}
    own_bases = [b for b in bases if b not in ("BaseModel", "TypedDict")]
    if own_bases:
        entry["bases"] = own_bases
    if kind == "typeddict":
        entry["total"] = total == "True"
    return entry


def describe_type_module(module: str, is_package: bool, source: str) -> Dict[str, Any]:
    tree = ast.parse(source)
    imports: Dict[str, str] = {}
    names: List[Dict[str, Any]] = []  # in the module's order: an alias may use a class above it
    exported: List[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            origin = _absolute(module, is_package, node.level, node.module)
            for alias in node.names:
                if origin.startswith("letta_client.types"):
                    imports[alias.asname or alias.name] = f"{origin}:{alias.name}"
        elif isinstance(node, ast.ClassDef):
            entry = _class(node)
            typeddicts = {item["name"] for item in names if item["kind"] == "typeddict"}
            if entry["kind"] == "model" and set(entry.get("bases", ())) & typeddicts:  # a TypedDict's subclass
                total = next((ast.unparse(k.value) for k in node.keywords if k.arg == "total"), "True")
                entry.update(kind="typeddict", total=total == "True")
            names.append({"name": node.name, **entry})
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names.append({"name": node.target.id, "kind": "alias", "type": ast.unparse(node.value)})
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
            if target == "__all__":
                exported = list(ast.literal_eval(node.value))
            else:
                names.append({"name": target, "kind": "alias", "type": ast.unparse(node.value)})
    return {"all": exported, "imports": imports, "names": names}


# --- resources ----------------------------------------------------------------------------------


def _find_call(func: ast.FunctionDef) -> Optional[ast.Call]:
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in VERBS:
            if isinstance(node.func.value, ast.Name) and node.func.value.id == "self":
                return node
    return None


def _params_type(call: Optional[ast.AST]) -> Optional[str]:
    """``maybe_transform({...}, module.XParams)`` -> ``module.XParams``."""
    if isinstance(call, ast.Call) and ast.unparse(call.func) in ("maybe_transform", "async_maybe_transform"):
        return ast.unparse(call.args[1])
    return None


def _mapping_keys(node: Optional[ast.AST]) -> Dict[str, str]:
    """The wire key -> argument name of a ``{"key": arg}`` dict inside a transform call."""
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Dict):
        node = node.args[0]
    if not isinstance(node, ast.Dict):
        return {}
    return {
        ast.literal_eval(key): ast.unparse(value)
        for key, value in zip(node.keys, node.values)
        if key is not None and isinstance(key, ast.Constant)
    }


def _arguments(func: ast.FunctionDef) -> Dict[str, Any]:
    args = func.args
    positional = [a.arg for a in args.args[1:]]
    annotations = {a.arg: _src(a.annotation) for a in args.args[1:] + args.kwonlyargs}
    defaults = dict(zip([a.arg for a in args.kwonlyargs], [_src(d) for d in args.kw_defaults]))
    keywords = [
        {"name": a.arg, "type": annotations[a.arg], **({"default": defaults[a.arg]} if defaults[a.arg] else {})}
        for a in args.kwonlyargs
        if a.arg not in OPTIONS
    ]
    return {
        "positional": [{"name": name, "type": annotations[name]} for name in positional],
        "keywords": keywords,
        "returns": _src(func.returns),
    }


def describe_method(func: ast.FunctionDef, overloads: List[ast.FunctionDef]) -> Dict[str, Any]:
    call = _find_call(func)
    assert call is not None, func.name
    assert isinstance(call.func, ast.Attribute)
    entry: Dict[str, Any] = {"verb": VERBS[call.func.attr], **_arguments(func)}
    path_node = call.args[0]
    if isinstance(path_node, ast.Call):  # path_template("/v1/...", a=a)
        entry["path"] = ast.literal_eval(path_node.args[0])
    else:
        entry["path"] = ast.literal_eval(path_node)
    kwargs = {k.arg: k.value for k in call.keywords if k.arg}
    if call.func.attr == "_get_api_list":
        entry["page"] = ast.unparse(kwargs["page"]).split("[")[0]
        entry["item"] = ast.unparse(kwargs["model"])
    else:
        entry["cast_to"] = ast.unparse(kwargs["cast_to"])
    if "body" in kwargs:
        entry["body"] = _params_type(kwargs["body"]) or "dict"
        entry["body_keys"] = _mapping_keys(kwargs["body"])
        source = kwargs["body"].args[0] if isinstance(kwargs["body"], ast.Call) and kwargs["body"].args else None
        if isinstance(source, ast.Name):
            arguments = [a.arg for a in func.args.args + func.args.kwonlyargs]
            if source.id in arguments:  # the argument is the whole body
                entry["body_argument"] = source.id
            else:  # body = deepcopy_minimal({...}) above the call
                for node in ast.walk(func):
                    if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == source.id:
                        entry["body_keys"] = _mapping_keys(node.value)
    if "files" in kwargs:
        entry["multipart"] = True
    if "stream" in kwargs:
        entry["stream"] = True
    options = kwargs.get("options")
    if isinstance(options, ast.Call):
        for keyword in options.keywords:
            if keyword.arg == "query":
                entry["query"] = _params_type(keyword.value) or "dict"
                entry["query_keys"] = _mapping_keys(keyword.value)
    headers: Dict[str, Any] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "extra_headers":
            value = node.value
            if isinstance(value, ast.Dict):
                pairs = list(zip(value.keys, value.values))
                for key, item in list(pairs):
                    if key is None and isinstance(item, ast.Call) and item.args and isinstance(item.args[0], ast.Dict):
                        pairs += list(zip(item.args[0].keys, item.args[0].values))  # **strip_not_given({...})
                for key, item in pairs:
                    if key is None:
                        continue
                    if isinstance(item, ast.Constant):
                        headers[ast.literal_eval(key)] = item.value
                    else:  # a header made from an argument: strip_not_given(arg) or str(arg)
                        arg = next(n.id for n in ast.walk(item) if isinstance(n, ast.Name) and n.id not in ("str",))
                        headers[ast.literal_eval(key)] = {"argument": arg}
    headers.pop("Content-Type", None)
    if headers:
        entry["headers"] = headers
    if overloads:
        entry["overloads"] = [_arguments(o) for o in overloads]
    return entry


def _imports_used(method: Dict[str, Any], origins: Dict[str, str]) -> Dict[str, str]:
    """``name -> "module:name"`` for every imported name the method's annotations use."""
    text = json.dumps({k: v for k, v in method.items() if k != "path"})
    used = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text))
    return {name: f"{origins[name]}:{name}" for name in sorted(used & set(origins)) if ".types" in origins[name]}


def describe_resource_module(module: str, source: str) -> Dict[str, Any]:
    """Every sync ``*Resource`` class of a module: its methods and sub-resources."""
    tree = ast.parse(source)
    resources: Dict[str, Any] = {}
    origins: Dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and node.col_offset <= 4:
            for alias in node.names:
                origins[alias.asname or alias.name] = _absolute(module, False, node.level, node.module)
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name.endswith("Resource")):
            continue
        if node.name.startswith("Async"):
            continue
        methods: Dict[str, Any] = {}
        children: Dict[str, str] = {}
        overloads: Dict[str, List[ast.FunctionDef]] = {}
        for item in node.body:
            if not isinstance(item, ast.FunctionDef) or item.name.startswith("_"):
                continue
            decorators = [ast.unparse(d) for d in item.decorator_list]
            if item.name in ("with_raw_response", "with_streaming_response"):
                continue
            if "cached_property" in decorators:
                returns = _src(item.returns) or ""
                children[item.name] = f"{origins.get(returns, module)}:{returns}"
            elif "overload" in decorators:
                overloads.setdefault(item.name, []).append(item)
            elif _find_call(item) is not None:
                method = describe_method(item, overloads.get(item.name, []))
                method["imports"] = _imports_used(method, origins)
                methods[item.name] = method
        resources[f"{module}:{node.name}"] = {"methods": methods, "children": children}
    return resources


def main(wheel: str, surface: bool = False) -> None:
    with zipfile.ZipFile(wheel) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".py")}
    types: Dict[str, Any] = {}
    classes: Dict[str, Any] = {}
    for path in sorted(files):
        if path.startswith(PKG + "types/"):
            module = _module_of(path)
            types[module] = describe_type_module(module, path.endswith("__init__.py"), files[path])
        elif path.startswith(PKG + "resources/") and not path.endswith("__init__.py"):
            classes.update(describe_resource_module(_module_of(path), files[path]))
    client = files[PKG + "_client.py"].replace("class Letta(", "class LettaResource(")
    root = describe_resource_module("letta_client._client", client)
    endpoints: Dict[str, Any] = {}

    def walk(prefix: str, class_name: str) -> None:
        resource = classes[class_name]
        for name, method in resource["methods"].items():
            endpoints[f"{prefix}.{name}"] = method
        for child, child_class in resource["children"].items():
            if child_class in classes:
                walk(f"{prefix}.{child}", child_class)

    classes["root"] = root["letta_client._client:LettaResource"]
    walk("", "root")
    endpoints = {name.lstrip("."): method for name, method in endpoints.items()}
    if surface:
        methods = {
            name: {
                "positional": [p["name"] for p in m["positional"]],
                "keywords": sorted({k["name"] for a in [m, *m.get("overloads", [])] for k in a["keywords"]}),
            }
            for name, m in endpoints.items()
        }
        public = {
            module: sorted(entry["all"] or [n for n in entry["imports"] if not n.startswith("_")])
            for module, entry in types.items()
        }
        json.dump({"methods": methods, "types": public}, sys.stdout, indent=1, sort_keys=True)
    else:
        json.dump({"endpoints": endpoints, "types": types}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[-1], surface="--surface" in sys.argv)
