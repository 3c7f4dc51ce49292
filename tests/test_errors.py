"""Error statuses map to the right exception class, and every error body shape reads well."""

from __future__ import annotations

from typing import Any, Callable, Optional, Type

import httpx
import pytest
import respx

from letta_client import (
    APIError,
    APIStatusError,
    AsyncLetta,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    Letta,
    LettaError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

AGENT = "agent-5da98415-83c3-44ff-a166-52394ce4ae55"
PATH = f"/v1/agents/{AGENT}/messages"


def _send(client: Letta) -> None:
    client.agents.messages.send(AGENT, input="hi")


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (410, APIStatusError),
        (418, APIStatusError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
    ],
)
def test_status_maps_to_exception_class(
    make_client: Callable[..., Letta], mock_api: respx.MockRouter, status: int, cls: Type[APIStatusError]
) -> None:
    route = mock_api.post(PATH).mock(return_value=httpx.Response(status, json={"detail": f"boom {status}"}))
    with pytest.raises(cls) as info:
        _send(make_client(max_retries=0))

    error = info.value
    assert type(error) is cls
    assert isinstance(error, (APIError, LettaError))
    assert error.status_code == status
    assert error.response is not None and error.response.status_code == status
    assert error.request is not None and error.request.url == route.calls.last.request.url
    assert error.body == {"detail": f"boom {status}"}
    assert error.detail == f"boom {status}"
    assert str(error).startswith(f"Error code: {status} - ")  # as the official SDK words it
    assert f"POST {PATH}: boom {status}" in str(error)


@pytest.mark.parametrize(
    ("detail", "code"),
    [
        ("INVALID_ARGUMENT: Invalid run ID format: x", "INVALID_ARGUMENT"),
        ("CONFLICT: No active runs to cancel for agent agent-1", "CONFLICT"),
        ("EXPIRED: Run was created more than 3 hours ago", "EXPIRED"),
        ("Agent not found", None),
        ("Note: lowercase head is not a code", None),
    ],
)
def test_detail_string_and_code(client: Letta, mock_api: respx.MockRouter, detail: str, code: Optional[str]) -> None:
    mock_api.post(PATH).mock(return_value=httpx.Response(400, json={"detail": detail}))
    with pytest.raises(BadRequestError) as info:
        _send(client)
    assert info.value.detail == detail
    assert info.value.code == code
    assert detail in str(info.value)
    assert info.value.error_type is None and info.value.pending_request_id is None


def test_pending_approval_conflict(
    client: Letta, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    mock_api.post(PATH).mock(return_value=fixture_response("h_pending_send_blocked"))
    with pytest.raises(ConflictError) as info:
        _send(client)
    error = info.value
    assert error.status_code == 409
    assert error.code == "PENDING_APPROVAL"
    assert error.pending_request_id == "message-ce4fdc27-5a16-4b8b-aa67-8c89c8f415d7"
    assert isinstance(error.detail, dict)
    assert "[PENDING_APPROVAL] CONFLICT: Cannot send a new message" in str(error)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("i_malformed_agent_id", "path.agent_id: String should match pattern 'agent-{uuid4}'"),
        ("i_invalid_body", "body.messages: Input should be a valid list"),
        ("i_invalid_role", "body.messages.0.function-after[generate_otid_if_missing(), MessageCreate].role: Input"),
        ("i_malformed_json", "body: Field required"),
        ("i_empty_messages", "Messages must not be empty"),
        ("i_stream_opts_without_streaming", "Streaming options set without streaming enabled."),
        ("i_stream_default_ua", "streaming=true is only supported for SDK v1.0+ clients."),
    ],
)
def test_validation_errors_from_recordings(
    client: Letta,
    mock_api: respx.MockRouter,
    fixture: Callable[[str], Any],
    fixture_response: Callable[[str], httpx.Response],
    name: str,
    expected: str,
) -> None:
    recorded = fixture(name)
    mock_api.post(PATH).mock(return_value=fixture_response(name))
    with pytest.raises(UnprocessableEntityError) as info:
        _send(client)
    error = info.value
    assert error.status_code == 422
    assert expected in str(error)
    assert error.body == recorded["body_json"]
    assert error.detail == recorded["body_json"]["detail"]
    assert error.trace_id == recorded["body_json"].get("trace_id")
    if isinstance(error.detail, str) and error.detail.startswith("[{"):
        head, _, ours = str(error).partition(" | ")
        assert head == f"Error code: 422 - {recorded['body_json']}", "the official SDK's text comes first"
        assert "{'type'" not in ours, "after it, the repr detail is summarised as 'loc: msg'"


def test_llm_error_body(client: Letta, mock_api: respx.MockRouter, fixture_response: Callable[..., Any]) -> None:
    mock_api.post(PATH).mock(return_value=fixture_response("i_fail_llm_nonstream"))
    with pytest.raises(InternalServerError) as info:
        _send(client)
    error = info.value
    assert error.error_type == "llm_error"
    assert isinstance(error.detail, str) and error.detail.startswith("INTERNAL_SERVER_ERROR: OpenAI API error")
    assert "llm_error: An error occurred with the LLM request." in str(error)


@pytest.mark.parametrize(
    ("response", "expected_body", "in_message"),
    [
        (httpx.Response(502, text="<html>Bad Gateway</html>"), "<html>Bad Gateway</html>", "<html>Bad Gateway</html>"),
        (httpx.Response(500, content=b""), None, "500 Internal Server Error for POST"),
        (httpx.Response(500, json=["not", "an", "object"]), ["not", "an", "object"], "500 Internal Server Error"),
        (httpx.Response(500, json={"error": "plain", "code": "X_CODE"}), {"error": "plain", "code": "X_CODE"}, "plain"),
        (httpx.Response(400, json={"something": "else"}), {"something": "else"}, "something"),
    ],
    ids=["html", "empty", "json-list", "error-string", "unknown-dict"],
)
def test_other_bodies(
    make_client: Callable[..., Letta],
    mock_api: respx.MockRouter,
    response: httpx.Response,
    expected_body: object,
    in_message: str,
) -> None:
    mock_api.post(PATH).mock(return_value=response)
    with pytest.raises(APIStatusError) as info:
        _send(make_client(max_retries=0))
    assert info.value.body == expected_body
    assert in_message in str(info.value)
    assert info.value.error_type is None


def test_wrapper_error_code(client: Letta, mock_api: respx.MockRouter) -> None:
    mock_api.post(PATH).mock(return_value=httpx.Response(500, json={"error": "x", "code": "INTERNAL_SERVER_ERROR"}))
    with pytest.raises(InternalServerError) as info:
        _send(client)
    assert info.value.code == "INTERNAL_SERVER_ERROR"


def test_long_text_body_is_truncated_in_message(client: Letta, mock_api: respx.MockRouter) -> None:
    mock_api.post(PATH).mock(return_value=httpx.Response(400, text="x" * 5000))
    with pytest.raises(BadRequestError) as info:
        _send(client)
    head, _, ours = str(info.value).partition(" | ")
    assert head == "x" * 1999 + "…"  # the official SDK's text (the body), cut at 2,000 characters
    assert len(ours) < 700
    assert info.value.body == "x" * 5000


@pytest.mark.parametrize(("status", "cls"), [(404, NotFoundError), (409, ConflictError), (500, InternalServerError)])
async def test_async_errors(
    make_async_client: Callable[..., AsyncLetta],
    mock_api: respx.MockRouter,
    fixture_response: Callable[[str], httpx.Response],
    status: int,
    cls: Type[APIStatusError],
) -> None:
    name = {404: "i_unknown_agent", 409: "h_pending_send_blocked", 500: "i_fail_llm_nonstream"}[status]
    mock_api.post(PATH).mock(return_value=fixture_response(name))
    with pytest.raises(cls) as info:
        await make_async_client(max_retries=0).agents.messages.send(AGENT, input="hi")
    assert info.value.status_code == status
    assert (info.value.code, info.value.error_type) == {
        404: (None, None),
        409: ("PENDING_APPROVAL", None),
        500: (None, "llm_error"),
    }[status]
