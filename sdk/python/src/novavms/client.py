"""`Client` and `AsyncClient`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from . import resources
from ._core import AsyncCore, RetryPolicy, SyncCore
from .models import API_VERSION

__all__ = ["DEFAULT_BASE_URL", "AsyncClient", "Client"]

DEFAULT_BASE_URL = "https://novavms.novalien.com"
__version__ = "1.3.0"
USER_AGENT = f"novavms-python/{__version__} (API {API_VERSION})"


def _settings(
    api_key: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout,
    retry: RetryPolicy | None,
    headers: Mapping[str, str] | None,
) -> dict[str, Any]:
    return {
        "api_key": api_key if api_key is not None else os.environ.get("NOVAVMS_API_KEY"),
        "base_url": base_url or os.environ.get("NOVAVMS_BASE_URL") or DEFAULT_BASE_URL,
        "timeout": timeout,
        "retry": retry or RetryPolicy(),
        "headers": {"User-Agent": USER_AGENT, **(headers or {})},
    }


CoreT = TypeVar("CoreT", SyncCore, AsyncCore)
B = TypeVar("B", bound="_Base[Any]")


class _Base(Generic[CoreT]):
    """What `Client` and `AsyncClient` share: the core, its settings, and copies with others."""

    _core: CoreT

    @property
    def base_url(self) -> str:
        return self._core.base_url

    def _setup(self, core: CoreT) -> None:
        raise NotImplementedError

    def with_options(
        self: B,
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
    ) -> B:
        """A client with other settings that shares this one's connection pool."""
        core = self._core
        settings: dict[str, Any] = {  # the core makes an httpx.Timeout of a number
            "api_key": core.api_key if api_key is None else api_key,
            "base_url": core.base_url,
            "timeout": core.timeout if timeout is None else timeout,
            "retry": core.retry if retry is None else retry,
            "headers": core.headers,
        }
        other = object.__new__(type(self))
        other._setup(type(core)(core.http, owns_http=False, **settings))
        return other

    def __repr__(self) -> str:
        return f"<novavms.{type(self).__name__} {self.base_url}>"


class Client(_Base[SyncCore]):
    """A client of the NovaVMS Gateway API, with one connection pool.

        with Client(api_key="sk_live_...", base_url="https://novavms.example.com") as client:
            gateways = client.gateways.list()

    `api_key` defaults to `NOVAVMS_API_KEY` and `base_url` to `NOVAVMS_BASE_URL` (then to the
    production service). `timeout` is in seconds. `retry` says when 429 and 503 answers are
    retried (`RetryPolicy`). `http_client` replaces the client's own `httpx.Client` (for proxies,
    certificates, ...); it is then not closed by `close()`.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = 10.0,
        *,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        settings = _settings(api_key, base_url, timeout, retry, headers)
        http = http_client or httpx.Client(timeout=timeout, follow_redirects=False)
        self._setup(SyncCore(http, owns_http=http_client is None, **settings))

    def _setup(self, core: SyncCore) -> None:
        self._core = core
        self.gateways = resources.Gateways(core)
        self.sites = resources.Sites(core)
        self.api_keys = resources.ApiKeys(core)
        self.cameras = resources.Cameras(core)
        self.events = resources.Events(core)
        self.webhooks = resources.Webhooks(core)
        self.commands = resources.Commands(core)
        self.config = resources.Config(core)
        self.credentials = resources.Credentials(core)
        self.health = resources.Health(core)

    def close(self) -> None:
        """Closes the connection pool (unless it was passed in as `http_client`)."""
        self._core.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(_Base[AsyncCore]):
    """`Client` for asyncio: every method is a coroutine, every `iter` an async iterator.

    async with AsyncClient(api_key="sk_live_...") as client:
        gateways = await client.gateways.list()
        async for event in client.events.iter(type="gateway.offline"):
            ...
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = 10.0,
        *,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        settings = _settings(api_key, base_url, timeout, retry, headers)
        http = http_client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        self._setup(AsyncCore(http, owns_http=http_client is None, **settings))

    def _setup(self, core: AsyncCore) -> None:
        self._core = core
        self.gateways = resources.AsyncGateways(core)
        self.sites = resources.AsyncSites(core)
        self.api_keys = resources.AsyncApiKeys(core)
        self.cameras = resources.AsyncCameras(core)
        self.events = resources.AsyncEvents(core)
        self.webhooks = resources.AsyncWebhooks(core)
        self.commands = resources.AsyncCommands(core)
        self.config = resources.AsyncConfig(core)
        self.credentials = resources.AsyncCredentials(core)
        self.health = resources.AsyncHealth(core)

    async def aclose(self) -> None:
        """Closes the connection pool (unless it was passed in as `http_client`)."""
        await self._core.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
