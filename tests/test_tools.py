"""Declaring client tools from functions, and the approval helpers (``letta_client.tools``)."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from datetime import date
from typing import Any, Dict, List, Literal, Optional

import httpx
import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field
from typing_extensions import Annotated, assert_type

from _stream_helpers import AGENT_ID, sync_client
from letta_client.tools import (
    ClientTool,
    ToolArgumentsError,
    approval_message,
    approve,
    deny,
    encode_result,
    image,
    tool,
    tool_result,
    tool_return_message,
)
from letta_client.types.content import ImageContent, TextContent

# The tool declaration the real server was sent in the recorded h_client_tool_call exchange.
RECORDED_DECLARATION = {
    "name": "client_get_weather",
    "description": "Get the weather for a location (executed by the client).",
    "parameters": {
        "type": "object",
        "properties": {"location": {"type": "string", "description": "City name"}},
        "required": ["location"],
    },
}


@tool
def client_get_weather(location: Annotated[str, Field(description="City name")]) -> str:
    """Get the weather for a location (executed by the client).

    This second paragraph is not part of the description.
    """
    return f"Sunny in {location}"


@tool
def forecast(city: str, days: int = 1, unit: Literal["C", "F"] = "C", note: Optional[str] = None) -> Dict[str, Any]:
    """Forecast for a city.

    Args:
        city: The city,
            spelled in English.
        days (int): How many days.
    """
    return {"city": city, "days": days, "unit": unit, "note": note}


def test_declaration_from_a_function_matches_the_recorded_wire_shape() -> None:
    assert client_get_weather.to_param() == RECORDED_DECLARATION
    assert list(client_get_weather.to_param()) == ["name", "description", "parameters"]


def test_schema_from_type_hints_defaults_and_docstring() -> None:
    assert forecast.name == "forecast"
    assert forecast.description == "Forecast for a city."
    assert forecast.parameters == {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "The city, spelled in English."},
            "days": {"type": "integer", "default": 1, "description": "How many days."},
            "unit": {"type": "string", "enum": ["C", "F"], "default": "C"},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        },
        "required": ["city"],
    }


def test_decorated_function_keeps_its_signature_and_behaviour() -> None:
    assert isinstance(forecast, ClientTool)
    result = forecast("Oslo", days=2)
    assert_type(result, Dict[str, Any])
    assert result == {"city": "Oslo", "days": 2, "unit": "C", "note": None}
    assert_type(client_get_weather("Rome"), str)
    assert client_get_weather("Rome") == "Sunny in Rome"


def test_arguments_are_validated_and_coerced_before_the_call() -> None:
    assert forecast.invoke('{"city": "Oslo", "days": "3"}') == {"city": "Oslo", "days": 3, "unit": "C", "note": None}
    assert forecast.invoke({"city": "Oslo", "unknown": 1}) == {"city": "Oslo", "days": 1, "unit": "C", "note": None}
    with pytest.raises(ToolArgumentsError) as missing:
        forecast.invoke("{}")
    assert str(missing.value) == "invalid arguments for forecast: city: Field required"
    with pytest.raises(ToolArgumentsError) as wrong:
        forecast.invoke('{"city": "Oslo", "unit": "K"}')
    assert str(wrong.value) == "invalid arguments for forecast: unit: Input should be 'C' or 'F'"
    with pytest.raises(ToolArgumentsError) as bad_json:
        forecast.invoke('{"city": ')
    assert str(bad_json.value).startswith("invalid JSON arguments: Expecting value")
    with pytest.raises(ToolArgumentsError) as not_object:
        forecast.invoke("[1, 2]")
    assert str(not_object.value) == "invalid JSON arguments: expected an object, got list"


def test_empty_arguments_mean_no_arguments() -> None:
    @tool
    def now() -> str:
        return "noon"

    assert now.parse_arguments("") == {}
    assert now.parse_arguments(None) == {}
    assert now.invoke("  ") == "noon"
    assert now.parameters == {"type": "object", "properties": {}}
    assert now.description is None
    assert now.to_param() == {"name": "now", "parameters": {"type": "object", "properties": {}}}


def test_overrides_name_description_and_hand_written_schema() -> None:
    schema = {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}

    @tool(name="search-docs", description="Search the docs.", parameters=schema)
    def search(q: str) -> List[str]:
        """Ignored docstring."""
        return [q]

    assert search.to_param() == {"name": "search-docs", "description": "Search the docs.", "parameters": schema}
    assert search.parameters is not schema  # a copy: later edits of the caller's dict do not leak
    assert search.invoke('{"q": "x"}') == ["x"]
    assert_type(search("y"), List[str])

    from_function = ClientTool.from_function(search.function, name="other")
    assert from_function.name == "other"
    assert from_function.description == "Ignored docstring."


def test_positional_only_keyword_only_and_var_keyword_parameters() -> None:
    @tool
    def mixed(a: int, /, b: str, *, c: bool = False, **rest: Any) -> str:
        return f"{a}|{b}|{c}|{sorted(rest.items())}"

    assert mixed.parameters["additionalProperties"] is True
    assert mixed.parameters["required"] == ["a", "b"]
    assert mixed.invoke('{"a": "7", "b": "x", "c": true, "z": 1}') == "7|x|True|[('z', 1)]"


def test_rejected_declarations() -> None:
    def star(*values: int) -> int:
        return sum(values)

    with pytest.raises(TypeError, match=r"\*values"):
        tool(star)
    with pytest.raises(ValueError, match="invalid tool name"):
        ClientTool(lambda: None)  # "<lambda>"
    with pytest.raises(ValueError, match="invalid tool name"):
        tool(name="has space")(star.__call__)


def test_async_function_becomes_an_async_tool() -> None:
    @tool
    async def slow_add(a: int, b: int) -> int:
        """Add."""
        return a + b

    assert slow_add.is_async
    assert not forecast.is_async
    assert asyncio.run(slow_add.invoke('{"a": 1, "b": "2"}')) == 3
    assert asyncio.run(slow_add(2, 2)) == 4


def test_pydantic_model_parameters_validate_nested_objects() -> None:
    class Point(pydantic.BaseModel):
        x: int
        y: int

    @tool
    def distance(p: Point, q: Point) -> float:
        return float(((p.x - q.x) ** 2 + (p.y - q.y) ** 2) ** 0.5)

    assert distance.parameters["properties"]["p"] == {"$ref": "#/$defs/Point"}
    assert "Point" in distance.parameters["$defs"]
    assert distance.invoke('{"p": {"x": 0, "y": 0}, "q": {"x": "3", "y": 4}}') == 5.0


# -- approval helpers ---------------------------------------------------------------------------


def test_helpers_build_the_exact_spec_shapes() -> None:
    assert approve("call_1") == {"type": "approval", "tool_call_id": "call_1", "approve": True}
    assert deny("call_2", "no") == {"type": "approval", "tool_call_id": "call_2", "approve": False, "reason": "no"}
    assert deny("call_2") == {"type": "approval", "tool_call_id": "call_2", "approve": False}
    assert tool_result("call_3", "…") == {
        "type": "tool",
        "tool_call_id": "call_3",
        "status": "success",
        "tool_return": "…",
    }
    assert tool_result("call_4", {"a": [1]}, status="error") == {
        "type": "tool",
        "tool_call_id": "call_4",
        "status": "error",
        "tool_return": '{"a":[1]}',
    }
    assert approval_message([approve("call_1"), deny("call_2", "no")], otid="o-1") == {
        "type": "approval",
        "approvals": [
            {"type": "approval", "tool_call_id": "call_1", "approve": True},
            {"type": "approval", "tool_call_id": "call_2", "approve": False, "reason": "no"},
        ],
        "otid": "o-1",
    }
    assert tool_return_message([tool_result("call_9", "x")]) == {
        "type": "tool_return",
        "tool_returns": [{"type": "tool", "tool_call_id": "call_9", "status": "success", "tool_return": "x"}],
    }


def test_approval_message_sent_with_send_is_the_spec_example() -> None:
    """Spec §7.3: one ApprovalCreate mixing approvals, a denial and a tool result."""
    seen: List[Dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        body = {
            "messages": [],
            "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"},
            "usage": {"message_type": "usage_statistics"},
        }
        return httpx.Response(200, json=body)

    with sync_client(handler) as client:
        message = approval_message([approve("call_1"), deny("call_2", "no"), tool_result("call_3", "…")])
        client.agents.messages.send(AGENT_ID, messages=[message])
    sent = seen[0]["messages"][0]
    assert isinstance(sent.pop("otid"), str)
    assert sent == {
        "type": "approval",
        "approvals": [
            {"type": "approval", "tool_call_id": "call_1", "approve": True},
            {"type": "approval", "tool_call_id": "call_2", "approve": False, "reason": "no"},
            {"type": "tool", "tool_call_id": "call_3", "status": "success", "tool_return": "…"},
        ],
    }


def test_encode_result_of_common_python_values() -> None:
    class Reading(pydantic.BaseModel):
        city: str
        on: date

    assert encode_result("plain text") == "plain text"
    assert encode_result(None) == "null"
    assert encode_result([1, "a", True]) == '[1,"a",true]'
    assert encode_result(Reading(city="Paris", on=date(2026, 1, 2))) == '{"city":"Paris","on":"2026-01-02"}'
    assert encode_result({"v": object}) == json.dumps({"v": str(object)}, separators=(",", ":"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_encode_result_round_trips_json_values(value: object) -> None:
    encoded = encode_result(value)
    assert isinstance(encoded, str)
    if isinstance(value, str):
        assert encoded == value
    else:
        assert json.loads(encoded) == value


# -- images in tool results ------------------------------------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201e2d3a4ec0000000049454e44ae426082"
)
PNG_PART = {
    "type": "image",
    "source": {"type": "base64", "media_type": "image/png", "data": base64.b64encode(PNG).decode()},
}


def test_an_image_result_is_sent_as_an_image_part() -> None:
    assert tool_result("c1", image(PNG)) == {
        "type": "tool",
        "tool_call_id": "c1",
        "status": "success",
        "tool_return": [PNG_PART],
    }


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"\xff\xd8\xff\xe0jpeg", "image/jpeg"),
        (b"GIF89a...", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_image_reads_the_media_type_from_the_bytes(data: bytes, media_type: str) -> None:
    assert image(data)["source"] == {
        "type": "base64",
        "media_type": media_type,
        "data": base64.b64encode(data).decode(),
    }


def test_image_takes_an_explicit_media_type_and_detail_and_rejects_unknown_bytes() -> None:
    assert image(b"raw", "image/bmp", detail="low")["source"] == {
        "type": "base64",
        "media_type": "image/bmp",
        "data": base64.b64encode(b"raw").decode(),
        "detail": "low",
    }
    with pytest.raises(ValueError, match="media_type"):
        image(b"not an image")
    with pytest.raises(TypeError, match="bytes"):
        image("iVBOR...")  # type: ignore[arg-type]


def test_a_list_with_an_image_becomes_text_and_image_parts_in_order() -> None:
    sdk_image = ImageContent.model_validate(PNG_PART)
    value = ["chart:", image(PNG), {"rows": 2}, TextContent(text="done"), sdk_image]
    assert tool_result("c1", value)["tool_return"] == [
        {"type": "text", "text": "chart:"},
        PNG_PART,
        {"type": "text", "text": '{"rows":2}'},
        {"type": "text", "text": "done"},
        PNG_PART,
    ]


def test_values_without_images_are_sent_as_text_as_before() -> None:
    assert tool_result("c1", ["a", {"type": "text"}])["tool_return"] == '["a",{"type":"text"}]'
    assert tool_result("c1", {"type": "image"})["tool_return"] == '{"type":"image"}'  # no source: plain data
    assert tool_result("c1", b"bytes")["tool_return"] == '"bytes"'


def test_a_pil_image_is_encoded_as_png() -> None:
    pil_image = pytest.importorskip("PIL.Image")
    picture = pil_image.new("RGB", (2, 1), (255, 0, 0))
    [part] = tool_result("c1", picture)["tool_return"]
    assert isinstance(part, dict) and part["type"] == "image"
    source = part["source"]
    assert source["type"] == "base64" and source["media_type"] == "image/png"
    decoded = pil_image.open(io.BytesIO(base64.b64decode(source["data"])))
    assert decoded.size == (2, 1) and decoded.getpixel((0, 0)) == (255, 0, 0)
