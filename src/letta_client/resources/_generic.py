"""``client.get / post / patch / put / delete(path, cast_to=..., ...)``: any endpoint, including
those the SDK does not model, with the official SDK's signature. The answer is parsed as
``cast_to`` (leniently, like every generated endpoint; ``str`` gives the text, ``type(None)``
nothing); ``stream=True`` gives a ``Stream`` of the SSE events. ``options`` takes the official
keys: ``headers``, ``params``, ``timeout``, ``extra_json``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Type, TypeVar

from .._sentinels import leaves_out_sentinels

if TYPE_CHECKING:
    import httpx

    from .._transport import AsyncTransport, SyncTransport
    from ..types.params import RequestOptions

__all__ = ["AsyncGenericRequests", "GenericRequests"]

T = TypeVar("T")


def _options(options: Mapping[str, Any]) -> RequestOptions:
    """The official request options as this SDK's."""
    known = {"headers": "extra_headers", "params": "extra_query", "extra_json": "extra_body", "timeout": "timeout"}
    unknown = set(options) - set(known) - {"max_retries", "idempotency_key", "follow_redirects"}
    if unknown:
        raise TypeError(f"unknown request options: {', '.join(sorted(unknown))}")
    return {known[key]: value for key, value in options.items() if key in known}  # type: ignore[return-value]


def _files(files: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    from ._endpoint import upload

    return None if files is None else {name: upload(value) for name, value in files.items()}


def _result(response: httpx.Response, cast_to: Any, stream: bool, is_async: bool) -> Any:
    if stream:
        from .._streaming import AsyncStream, Stream
        from ..types.messages import LettaStreamingResponse

        if is_async:
            return AsyncStream[LettaStreamingResponse](response)
        return Stream[LettaStreamingResponse](response)
    from ._endpoint import result

    return result(cast_to, response)


@leaves_out_sentinels
class GenericRequests:
    """The sync client's requests by path."""

    _transport: SyncTransport

    def _request(
        self,
        method: str,
        path: str,
        cast_to: Any,
        body: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
        stream: bool = False,
    ) -> Any:
        response = self._transport.request(
            method,
            "/" + path.lstrip("/"),
            body=body,
            files=_files(files),
            options=_options(options or {}),
            idempotent=method != "POST",
            stream=stream,
        )
        return _result(response, cast_to, stream, is_async=True)

    def get(
        self, path: str, *, cast_to: Type[T], options: Optional[Mapping[str, Any]] = None, stream: bool = False
    ) -> T:
        """``GET path``, the answer as ``cast_to``."""
        return self._request("GET", path, cast_to, options=options, stream=stream)  # type: ignore[no-any-return]

    def post(
        self,
        path: str,
        *,
        cast_to: Type[T],
        body: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        stream: bool = False,
    ) -> T:
        """``POST path`` with a JSON ``body`` (or a multipart form with ``files``)."""
        return self._request("POST", path, cast_to, body, files, options, stream)  # type: ignore[no-any-return]

    def patch(
        self,
        path: str,
        *,
        cast_to: Type[T],
        body: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> T:
        """``PATCH path``."""
        return self._request("PATCH", path, cast_to, body, files, options)  # type: ignore[no-any-return]

    def put(
        self,
        path: str,
        *,
        cast_to: Type[T],
        body: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> T:
        """``PUT path``."""
        return self._request("PUT", path, cast_to, body, files, options)  # type: ignore[no-any-return]

    def delete(
        self,
        path: str,
        *,
        cast_to: Type[T],
        body: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> T:
        """``DELETE path``."""
        return self._request("DELETE", path, cast_to, body, options=options)  # type: ignore[no-any-return]


@leaves_out_sentinels
class AsyncGenericRequests:
    """The async client's requests by path: see ``GenericRequests``."""

    _transport: AsyncTransport

    async def _request(
        self,
        method: str,
        path: str,
        cast_to: Any,
        body: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
        stream: bool = False,
    ) -> Any:
        response = await self._transport.request(
            method,
            "/" + path.lstrip("/"),
            body=body,
            files=_files(files),
            options=_options(options or {}),
            idempotent=method != "POST",
            stream=stream,
        )
        return _result(response, cast_to, stream, is_async=True)

    async def get(
        self, path: str, *, cast_to: Type[T], options: Optional[Mapping[str, Any]] = None, stream: bool = False
    ) -> T:
        """See ``Letta.get``."""
        return await self._request("GET", path, cast_to, options=options, stream=stream)  # type: ignore[no-any-return]

    async def post(
        self,
        path: str,
        *,
        cast_to: Type[T],
        body: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        stream: bool = False,
    ) -> T:
        """See ``Letta.post``."""
        return await self._request("POST", path, cast_to, body, files, options, stream)  # type: ignore[no-any-return]

    async def patch(
        self,
        path: str,
        *,
        cast_to: Type[T],
        body: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> T:
        """See ``Letta.patch``."""
        return await self._request("PATCH", path, cast_to, body, files, options)  # type: ignore[no-any-return]

    async def put(
        self,
        path: str,
        *,
        cast_to: Type[T],
        body: Optional[Mapping[str, Any]] = None,
        files: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> T:
        """See ``Letta.put``."""
        return await self._request("PUT", path, cast_to, body, files, options)  # type: ignore[no-any-return]

    async def delete(
        self,
        path: str,
        *,
        cast_to: Type[T],
        body: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> T:
        """See ``Letta.delete``."""
        return await self._request("DELETE", path, cast_to, body, options=options)  # type: ignore[no-any-return]
