"""One rule for logs and errors: a header value is shown only for the few headers that carry
nothing private (``_error_text.PUBLIC_HEADERS``); every other value, a custom credential header
included, is redacted in ``LETTA_LOG=debug`` lines as in error messages; URL credentials too."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from letta_client import Letta, NotFoundError
from letta_client._error_text import PUBLIC_HEADERS
from letta_client._logs import logger as sdk_logger
from letta_client._logs import redact_headers

SECRET = "tok-secret-1234567890"


def test_a_custom_credential_header_is_redacted_in_debug_logs_and_in_errors(
    caplog: pytest.LogCaptureFixture, mock_api: respx.MockRouter
) -> None:
    mock_api.get("/v1/agents/agent-1").mock(
        return_value=httpx.Response(404, json={"detail": f"no agent for token {SECRET}"})
    )
    caplog.set_level(logging.DEBUG, logger=sdk_logger.name)
    with Letta(
        api_key="sk-key-abcdef", base_url="http://letta.test", default_headers={"X-Auth-Token": SECRET}
    ) as client:
        with pytest.raises(NotFoundError) as raised:
            client.agents.retrieve("agent-1")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "X-Auth-Token" in logged or "x-auth-token" in logged  # the header is named...
    assert SECRET not in logged and "sk-key-abcdef" not in logged  # ...its value never shown
    assert SECRET not in str(raised.value) and "<redacted>" in str(raised.value)


def test_url_credentials_are_not_logged(caplog: pytest.LogCaptureFixture, mock_api: respx.MockRouter) -> None:
    mock_api.get("/v1/health/").mock(return_value=httpx.Response(200, json={"status": "ok", "version": "x"}))
    caplog.set_level(logging.DEBUG, logger=sdk_logger.name)
    with Letta(base_url="http://ada:pass-word-99@letta.test") as client:
        client.health()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "pass-word-99" not in logged and "ada:" not in logged and "letta.test" in logged


@given(
    st.dictionaries(
        st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,15}", fullmatch=True), st.text(min_size=1, max_size=20), max_size=6
    )
)
def test_only_the_public_headers_show_their_values(headers: dict[str, str]) -> None:
    shown = redact_headers(headers)
    for name, value in headers.items():
        assert shown[name] == (value if name.lower() in PUBLIC_HEADERS else "<redacted>")


@pytest.mark.parametrize("base_url", ["ada:pass-word-99@localhost:8283", "ftp://ada:pass-word-99@host", "http://"])
def test_a_base_url_that_is_refused_is_not_shown(base_url: str) -> None:
    with pytest.raises(ValueError, match="http://localhost:8283") as raised:
        Letta(base_url=base_url)
    assert "pass-word-99" not in str(raised.value) and "ada" not in str(raised.value)
