"""httpx clients with this SDK's defaults, under the official SDK's names.

* ``DefaultHttpxClient`` / ``DefaultAsyncHttpxClient``: what ``Letta`` / ``AsyncLetta`` create when
  no ``http_client`` is given. Pass one with a setting changed (a proxy, limits) to keep the rest.
* ``DefaultAioHttpClient``: an ``httpx.AsyncClient`` whose connections are aiohttp's, for many
  concurrent streams (aiohttp parses HTTP in C). It needs the ``aiohttp`` extra
  (``pip install 'letta-client-typed[aiohttp]'``); without it, creating one raises ``RuntimeError``
  saying so. Its transport lives in ``_aiohttp``, imported only when one is created.

Every request the SDK sends carries its own timeout (the client's ``timeout=`` setting), so the
``timeout`` of these httpx clients only applies to requests made with them directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Type

import httpx

from ._transport import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from ._aiohttp import AiohttpTransport

__all__ = ["DEFAULT_CONNECTION_LIMITS", "DefaultAioHttpClient", "DefaultAsyncHttpxClient", "DefaultHttpxClient"]

DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
"""The connection pool limits of the clients the SDK makes (httpx's own defaults)."""

_EXTRA_MISSING = (
    "DefaultAioHttpClient needs the aiohttp extra, which is not installed ({reason}). "
    "Install it with: pip install 'letta-client-typed[aiohttp]'"
)


class DefaultHttpxClient(httpx.Client):
    """``httpx.Client`` with the defaults ``Letta`` uses for its own."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
        super().__init__(**kwargs)


class DefaultAsyncHttpxClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` with the defaults ``AsyncLetta`` uses for its own."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
        super().__init__(**kwargs)


class DefaultAioHttpClient(DefaultAsyncHttpxClient):
    """``DefaultAsyncHttpxClient`` with aiohttp as its transport (the ``aiohttp`` extra):
    ``AsyncLetta(http_client=DefaultAioHttpClient())``. Takes ``httpx.AsyncClient``'s arguments."""

    def __init__(self, **kwargs: Any) -> None:
        _aiohttp_transport()  # fail here, clearly, when the extra is missing
        super().__init__(**kwargs)

    # httpx calls these two while it sets itself up, with keywords (verify, cert, trust_env, http1,
    # http2, limits): for the client's own transport and for each proxy's.
    def _init_transport(
        self, *_: Any, transport: Optional[httpx.AsyncBaseTransport] = None, **options: Any
    ) -> httpx.AsyncBaseTransport:
        return transport if transport is not None else _aiohttp_transport()(**_transport_options(options))

    def _init_proxy_transport(self, proxy: httpx.Proxy, *_: Any, **options: Any) -> httpx.AsyncBaseTransport:
        return _aiohttp_transport()(proxy=proxy, **_transport_options(options))


def _transport_options(options: Dict[str, Any]) -> Dict[str, Any]:
    """What the aiohttp transport takes of httpx's transport arguments (older httpx adds ``app``)."""
    return {key: value for key, value in options.items() if key in _TRANSPORT_OPTIONS}


_TRANSPORT_OPTIONS = ("verify", "cert", "trust_env", "http1", "http2", "limits")


def _aiohttp_transport() -> Type[AiohttpTransport]:
    """The extra's transport class; ``RuntimeError`` naming the extra when it is not installed."""
    try:
        from ._aiohttp import AiohttpTransport as transport
    except ImportError as error:
        raise RuntimeError(_EXTRA_MISSING.format(reason=error)) from error
    return transport
