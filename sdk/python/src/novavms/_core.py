"""The request core shared by `Client` and `AsyncClient`.

An operation is built once, as a `Call` (what to send, how to read the answer, how to page on);
`SyncCore` and `AsyncCore` send it, retry it when the policy allows, and turn error answers into
exceptions. Only the sending loop exists twice, once blocking and once awaiting.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Generic, Literal, Protocol, TypeVar
from urllib.parse import quote
from uuid import UUID

import httpx
import pydantic

from .errors import NetworkError, UnexpectedResponse, error_from_response, parse_retry_after

__all__ = ["NOT_GIVEN", "Call", "NotGiven", "RetryPolicy"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
I_co = TypeVar("I_co", covariant=True)
M = TypeVar("M", bound=pydantic.BaseModel)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
DEFAULT_PAGE_SIZE = 100
"""The API's default `limit` of every list."""

Id = str | UUID
"""An object id: a uuid, as a string or a `uuid.UUID`."""
Instant = str | datetime
"""An RFC 3339 date-time, as a string or a `datetime` (naive ones are taken as UTC)."""


class NotGiven:
    """The default of an optional body field: the field is left out of the request.

    (`None` is sent as JSON `null` where the API accepts it, e.g. to unbind a camera.)
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


@dataclass(frozen=True)
class RetryPolicy:
    """When answers 429 and 503 are retried.

    An answer is retried after its `Retry-After` (or `default_wait`, doubling, when it has
    none), at most `max_retries` times, and only when that wait is at most `max_wait` seconds;
    otherwise its exception is raised at once. Calls that are not idempotent (POST, PATCH
    without an `Idempotency-Key` header) are retried only with `non_idempotent=True`.
    `RetryPolicy(max_retries=0)` never retries.
    """

    max_retries: int = 2
    max_wait: float = 60.0
    default_wait: float = 1.0
    non_idempotent: bool = False
    statuses: frozenset[int] = frozenset({429, 503})

    def delay(self, call: Call[object], response: httpx.Response, retries: int) -> float | None:
        """Seconds to wait before sending `call` again, or None to give up."""
        if response.status_code not in self.statuses or retries >= self.max_retries:
            return None
        idempotent = call.idempotent or "idempotency-key" in response.request.headers
        if not (idempotent or self.non_idempotent):
            return None
        wait = parse_retry_after(response.headers.get("retry-after"))
        if wait is None:
            wait = self.default_wait * 2**retries
        return wait if wait <= self.max_wait else None


QueryValue = str | int | float


def _wire(value: object) -> QueryValue:
    """A query value as the API spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, Sequence):
        return ",".join(str(v) for v in value)
    return str(value)


def query(**params: object) -> dict[str, QueryValue]:
    """Query parameters, without those that are None; `from_` is sent as `from`."""
    return {k.rstrip("_"): _wire(v) for k, v in params.items() if v is not None}


def body(**fields: object) -> dict[str, object]:
    """A JSON body of the given fields, without those that are NOT_GIVEN."""
    out: dict[str, object] = {}
    for key, value in fields.items():
        if isinstance(value, NotGiven):
            continue
        if isinstance(value, UUID):
            value = str(value)
        elif isinstance(value, Mapping):
            value = {str(k): str(v) if isinstance(v, UUID) else v for k, v in value.items()}
        elif isinstance(value, Sequence) and not isinstance(value, str):
            value = [str(v) if isinstance(v, UUID) else v for v in value]
        out[key] = value
    return out


def _jsonable(value: object, *, drop_none: bool) -> object:
    """`value` as JSON: models by their fields as set (wire names), UUIDs and date-times as the
    API spells them; with `drop_none`, no member is null (a None member is left out)."""
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {
            str(k): _jsonable(v, drop_none=drop_none)
            for k, v in value.items()
            if not (drop_none and v is None)
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v, drop_none=drop_none) for v in value]
    if isinstance(value, UUID | datetime):
        return _wire(value)
    return value


def json_document(
    value: pydantic.BaseModel | Mapping[str, object], *, merge_patch: bool = False
) -> dict[str, object]:
    """A body that is a whole JSON document rather than named fields.

    A model gives the fields that are set (those it was read with or given, and the members it
    does not know, kept from the answer it came from). A whole document (`merge_patch=False`)
    has no null members: a None, at any depth, is a member left out. In a merge patch (RFC
    7396), None is sent as null, which deletes the member; fields never set are left out.
    """
    out = _jsonable(value, drop_none=not merge_patch)
    if not isinstance(out, dict):
        raise TypeError(f"a document is a mapping or a model, not {type(value).__name__}")
    return out


def headers(**fields: str | None) -> dict[str, str]:
    """Request headers of an operation, without those that are None; `idempotency_key` is sent
    as `Idempotency-Key`."""
    return {
        "-".join(part.capitalize() for part in k.split("_")): v
        for k, v in fields.items()
        if v is not None
    }


Parse = Callable[[Any, httpx.Headers], T]
"""How a `Call` reads a 2xx answer: from its decoded JSON body (None when empty) and its headers
(most operations read the body only; `config_get` also reads the `ETag`)."""


class Call(Generic[T_co]):
    """One request of one operation, and how to read its answer."""

    __slots__ = (
        "body",
        "headers",
        "hold",
        "method",
        "operation",
        "paging",
        "parse",
        "path",
        "public",
        "query",
    )

    def __init__(
        self,
        operation: str,
        method: str,
        path: str,
        parse: Parse[T_co],
        *,
        path_params: Mapping[str, Id] | None = None,
        query: Mapping[str, QueryValue] | None = None,
        body: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
        public: bool = False,
        paging: Literal["offset", "cursor"] | None = None,
        hold: float = 0,
    ) -> None:
        """`headers` are the operation's own (they replace the client's of the same name);
        `hold` is how many seconds the service may hold the answer back (a `wait_s`): the read
        timeout is that much longer."""
        for name, value in (path_params or {}).items():
            path = path.replace(f"{{{name}}}", quote(str(value), safe=""))
        self.operation = operation
        self.method = method
        self.path = path
        self.parse = parse
        self.query = dict(query or {})
        self.body = dict(body) if body is not None else None
        self.headers = dict(headers or {})
        self.public = public
        self.paging = paging
        self.hold = hold

    @property
    def idempotent(self) -> bool:
        return self.method in IDEMPOTENT_METHODS

    def with_query(self, **changes: QueryValue) -> Call[T_co]:
        return Call(
            self.operation,
            self.method,
            self.path,
            self.parse,
            query={**self.query, **changes},
            body=self.body,
            headers=self.headers,
            public=self.public,
            paging=self.paging,
            hold=self.hold,
        )

    def next_page(self, page: object) -> Call[T_co] | None:
        """The call for the page after `page`, or None when `page` was the last one."""
        data: Sequence[object] = getattr(page, "data", ())
        if self.paging == "offset":
            offset = int(self.query.get("offset", 0)) + len(data)
            total = int(getattr(page, "total", 0))
            return self.with_query(offset=offset) if data and offset < total else None
        if self.paging == "cursor":
            limit = int(self.query.get("limit", DEFAULT_PAGE_SIZE))
            cursor = page_cursor(page)
            # A page that is not full means the reader has caught up.
            return self.with_query(after=cursor) if cursor and len(data) >= limit else None
        return None

    def __repr__(self) -> str:
        return f"<Call {self.operation}: {self.method} {self.path}>"


def page_cursor(page: object) -> str | None:
    cursor = getattr(page, "next_cursor", None)
    return cursor if isinstance(cursor, str) else None


def model(cls: type[M]) -> Parse[M]:
    def parse(data: Any, _: httpx.Headers) -> M:
        return cls.model_validate(data)

    return parse


def model_list(cls: type[M]) -> Parse[list[M]]:
    """A body that is a JSON array of one model (a gateway's keys)."""

    def parse(data: Any, _: httpx.Headers) -> list[M]:
        if not isinstance(data, list):
            raise ValueError(f"expected a JSON array, got {type(data).__name__}")
        return [cls.model_validate(item) for item in data]

    return parse


def json_object(data: Any, _: httpx.Headers) -> dict[str, Any]:
    """A body that is a JSON object of no model (a JSON Schema, say)."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    return data


def no_content(_: Any, __: httpx.Headers) -> None:
    return None


class Page(Protocol[I_co]):
    """A list answer: `.data`, plus `.total` (offset pages) or `.next_cursor` (cursor pages)."""

    @property
    def data(self) -> Sequence[I_co]: ...


class BaseCore:
    """Settings and the parts of a request's life that do not block."""

    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str,
        timeout: float | httpx.Timeout,
        retry: RetryPolicy,
        headers: Mapping[str, str],
    ) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self.retry = retry
        self.headers = dict(headers)

    def build(self, http: httpx.Client | httpx.AsyncClient, call: Call[object]) -> httpx.Request:
        headers = httpx.Headers({"Accept": "application/json", **self.headers})
        headers.update(call.headers)  # case-insensitively: the operation's win
        if self.api_key and not call.public:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return http.build_request(
            call.method,
            self.base_url + call.path,
            params=call.query or None,
            json=call.body,
            headers=headers,
            timeout=self.timeout_of(call),
        )

    def timeout_of(self, call: Call[object]) -> httpx.Timeout:
        """The client's timeout, with a read timeout longer by the time the service may hold
        the answer back (a read with `wait_s=30` is not cut off by a 10 s timeout)."""
        read = self.timeout.read
        if not call.hold or read is None:
            return self.timeout
        return httpx.Timeout(
            connect=self.timeout.connect,
            read=read + call.hold,
            write=self.timeout.write,
            pool=self.timeout.pool,
        )

    @staticmethod
    def read(call: Call[T_co], response: httpx.Response) -> T_co:
        if not response.is_success:
            raise error_from_response(call.operation, response)
        try:
            data = json.loads(response.content) if response.content else None
            return call.parse(data, response.headers)
        except (ValueError, pydantic.ValidationError) as e:
            raise UnexpectedResponse(call.operation, response.status_code, str(e)) from e


class SyncCore(BaseCore):
    def __init__(self, http: httpx.Client, *, owns_http: bool, **settings: Any) -> None:
        super().__init__(**settings)
        self.http = http
        self.owns_http = owns_http

    def send(self, call: Call[T_co]) -> T_co:
        retries = 0
        while True:
            try:
                response = self.http.send(self.build(self.http, call))
            except httpx.TransportError as e:
                raise NetworkError(f"{call.operation}: {e}") from e
            wait = self.retry.delay(call, response, retries)
            if wait is None:
                return self.read(call, response)
            response.close()
            retries += 1
            time.sleep(wait)

    def close(self) -> None:
        if self.owns_http:
            self.http.close()


class AsyncCore(BaseCore):
    def __init__(self, http: httpx.AsyncClient, *, owns_http: bool, **settings: Any) -> None:
        super().__init__(**settings)
        self.http = http
        self.owns_http = owns_http

    async def send(self, call: Call[T_co]) -> T_co:
        retries = 0
        while True:
            try:
                response = await self.http.send(self.build(self.http, call))
            except httpx.TransportError as e:
                raise NetworkError(f"{call.operation}: {e}") from e
            wait = self.retry.delay(call, response, retries)
            if wait is None:
                return self.read(call, response)
            await response.aclose()
            retries += 1
            await asyncio.sleep(wait)

    async def close(self) -> None:
        if self.owns_http:
            await self.http.aclose()


class PageIterator(Iterator[I_co]):
    """The items of every page of a list, fetched page by page as they are needed.

    `cursor` is the last page's `next_cursor` (cursor lists): keep it to resume later with
    `after=cursor`.
    """

    def __init__(self, core: SyncCore, call: Call[Page[I_co]]) -> None:
        self._core = core
        self._call: Call[Page[I_co]] | None = call
        self._items: Iterator[I_co] = iter(())
        self.cursor: str | None = None

    def __next__(self) -> I_co:
        while True:
            try:
                return next(self._items)
            except StopIteration:
                if self._call is None:
                    raise
            page = self._core.send(self._call)
            self.cursor = page_cursor(page) or self.cursor
            self._items = iter(page.data)
            self._call = self._call.next_page(page)


class AsyncPageIterator(AsyncIterator[I_co]):
    """`PageIterator` for `AsyncClient`: `async for item in ...`."""

    def __init__(self, core: AsyncCore, call: Call[Page[I_co]]) -> None:
        self._core = core
        self._call: Call[Page[I_co]] | None = call
        self._items: Iterator[I_co] = iter(())
        self.cursor: str | None = None

    async def __anext__(self) -> I_co:
        while True:
            try:
                return next(self._items)
            except StopIteration:
                if self._call is None:
                    raise StopAsyncIteration from None
            page = await self._core.send(self._call)
            self.cursor = page_cursor(page) or self.cursor
            self._items = iter(page.data)
            self._call = self._call.next_page(page)
