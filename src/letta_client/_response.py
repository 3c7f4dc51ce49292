"""Turns a JSON response into models, and ``APIResponse`` for ``with_raw_response``."""

from __future__ import annotations

from functools import cache
from typing import Any, Generic, Type, TypeVar, cast

import httpx
from pydantic import TypeAdapter, ValidationError

from ._exceptions import APIResponseValidationError

__all__ = ["APIResponse", "parse_json"]

T = TypeVar("T")


@cache
def _adapter(type_: Any) -> TypeAdapter[Any]:
    return TypeAdapter(type_)


def parse_json(response: httpx.Response, type_: Type[T]) -> T:
    """Validate the response body as ``type_`` straight from its bytes."""
    try:
        validate = getattr(type_, "model_validate_json", None)
        if validate is not None:
            return cast(T, validate(response.content))
        return cast(T, _adapter(cast(Any, type_)).validate_json(response.content))
    except ValidationError as error:
        raise APIResponseValidationError(
            f"The response to {response.request.method} {response.request.url.path} does not match "
            f"{getattr(type_, '__name__', type_)}: {error}",
            response.request,
            raw=response.text[:10_000],
        ) from None


class APIResponse(Generic[T]):
    """The raw HTTP response of a call; ``parse()`` gives the model the call would return."""

    def __init__(self, http_response: httpx.Response, type_: Type[T]) -> None:
        self.http_response = http_response
        self._type = type_

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def parse(self) -> T:
        return parse_json(self.http_response, self._type)

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {getattr(self._type, '__name__', self._type)}>"
