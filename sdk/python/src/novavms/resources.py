"""One resource class per tag of the spec, for `Client` and for `AsyncClient`.

Each method is an operation of `_operations` bound to the client's core: `sync_method` makes it
return the result, `async_method` a coroutine of it, `sync_pages`/`async_pages` an iterator over
the items of every page. The signatures (and the docs) are the operations' own. The methods
that are not operations are `commands.wait`, which reads a command until it is finished, and
`config.update`, a read-modify-write of a gateway's configuration with the ETag handled.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Generic, ParamSpec, TypeVar, overload

from . import _operations as ops
from ._core import AsyncCore, AsyncPageIterator, Call, Id, Page, PageIterator, SyncCore
from ._operations import ConfigDocument, VersionedConfig
from .errors import PreconditionFailed
from .models import CommandResponse, ConfigDocumentSchema

P = ParamSpec("P")
T = TypeVar("T")
I = TypeVar("I")  # noqa: E741


F = TypeVar("F", bound=Callable[..., Any])


class _Operation(Generic[P, T]):
    """A resource attribute that binds an operation to the resource's client core."""

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self._build = build
        self._name = build.__name__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def _keep(self, obj: object, method: F, returns: str | None = None) -> F:
        """Gives `method` the docs and signature of the operation (returning what the client
        returns rather than a `Call`) and keeps it on `obj`, so that it is made once."""
        build = self._build
        functools.update_wrapper(method, build)  # `__wrapped__` is the operation
        signature = inspect.signature(build)
        result = returns or re.sub(r"^Call\[(.*)\]$", r"\1", str(signature.return_annotation))
        method.__signature__ = signature.replace(  # type: ignore[attr-defined]
            return_annotation=result
        )
        method.__name__ = method.__qualname__ = self._name
        if returns:
            method.__doc__ = f"Every item of every page of: {build.__doc__}"
        obj.__dict__[self._name] = method
        return method


class SyncResource:
    def __init__(self, core: SyncCore) -> None:
        self._core = core


class AsyncResource:
    def __init__(self, core: AsyncCore) -> None:
        self._core = core


class sync_method(_Operation[P, T]):
    """`resource.name(...)` sends the operation and returns its result."""

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> sync_method[P, T]: ...
    @overload
    def __get__(self, obj: SyncResource, owner: type[Any]) -> Callable[P, T]: ...
    def __get__(
        self, obj: SyncResource | None, owner: type[Any]
    ) -> sync_method[P, T] | Callable[P, T]:
        if obj is None:
            return self
        build, core = self._build, obj._core

        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return core.send(build(*args, **kwargs))

        return self._keep(obj, method)


class async_method(_Operation[P, T]):
    """`await resource.name(...)` sends the operation and returns its result."""

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> async_method[P, T]: ...
    @overload
    def __get__(
        self, obj: AsyncResource, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(
        self, obj: AsyncResource | None, owner: type[Any]
    ) -> async_method[P, T] | Callable[P, Coroutine[Any, Any, T]]:
        if obj is None:
            return self
        build, core = self._build, obj._core

        async def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return await core.send(build(*args, **kwargs))

        return self._keep(obj, method)


class sync_pages(_Operation[P, Page[I]]):
    """`for item in resource.name(...)` walks every page of a list operation."""

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> sync_pages[P, I]: ...
    @overload
    def __get__(self, obj: SyncResource, owner: type[Any]) -> Callable[P, PageIterator[I]]: ...
    def __get__(
        self, obj: SyncResource | None, owner: type[Any]
    ) -> sync_pages[P, I] | Callable[P, PageIterator[I]]:
        if obj is None:
            return self
        build, core = self._build, obj._core

        def pages(*args: P.args, **kwargs: P.kwargs) -> PageIterator[I]:
            return PageIterator(core, build(*args, **kwargs))

        return self._keep(obj, pages, "PageIterator")


class async_pages(_Operation[P, Page[I]]):
    """`async for item in resource.name(...)` walks every page of a list operation."""

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> async_pages[P, I]: ...
    @overload
    def __get__(
        self, obj: AsyncResource, owner: type[Any]
    ) -> Callable[P, AsyncPageIterator[I]]: ...
    def __get__(
        self, obj: AsyncResource | None, owner: type[Any]
    ) -> async_pages[P, I] | Callable[P, AsyncPageIterator[I]]:
        if obj is None:
            return self
        build, core = self._build, obj._core

        def pages(*args: P.args, **kwargs: P.kwargs) -> AsyncPageIterator[I]:
            return AsyncPageIterator(core, build(*args, **kwargs))

        return self._keep(obj, pages, "AsyncPageIterator")


# -- commands.wait ---------------------------------------------------------------------------

# The clock and the sleeps of `wait` (the tests replace them).
_monotonic = time.monotonic
_sleep = time.sleep
_async_sleep = asyncio.sleep

DEFAULT_COMMAND_WAIT_S = 60.0
MIN_READ_INTERVAL_S = 1.0
"""`wait` starts two reads at least this far apart, even when the service answers at once."""


class _Reads:
    """When `commands.wait` reads the command, and the `wait_s` of each read: as long as the
    time left allows (at most 30 s), the last read at the deadline."""

    def __init__(self, timeout_s: float) -> None:
        self.started = _monotonic()
        self.deadline = self.started + max(0.0, timeout_s)

    def hold(self) -> int:
        """The `wait_s` of a read that starts now."""
        self.started = _monotonic()
        return max(0, min(ops.MAX_WAIT_S, int(self.deadline - self.started)))

    def pause(self) -> float | None:
        """Seconds to wait before the next read, or None when the time is up."""
        now = _monotonic()
        if now >= self.deadline:
            return None
        start = max(self.started + MIN_READ_INTERVAL_S, now)
        if self.deadline - start < 1:  # too short for a wait_s: look once more at the deadline
            start = self.deadline
        return start - now


# -- config.update ---------------------------------------------------------------------------

CONFIG_UPDATE_RETRIES = 5
"""How many times `config.update` reads again and retries after a 412 before it gives up."""

Change = Callable[[ConfigDocumentSchema], ConfigDocument]
"""`config.update`'s change: the current desired document (a copy, free to modify) -> the new
one (that model, changed, or a mapping of the whole document)."""


# -- Client ----------------------------------------------------------------------------------


class Gateways(SyncResource):
    """Pair, list, inspect, update and unpair gateways."""

    list = sync_method(ops.gateways_list)
    iter = sync_pages(ops.gateways_list)
    generate_pairing_code = sync_method(ops.gateways_generate_pairing_code)
    create_pairing_code = sync_method(ops.gateways_create_pairing_code)
    pair = sync_method(ops.gateways_pair)
    get = sync_method(ops.gateways_get)
    telemetry = sync_method(ops.gateways_telemetry)
    update = sync_method(ops.gateways_update)
    delete = sync_method(ops.gateways_delete)
    availability = sync_method(ops.gateways_availability)


class Sites(SyncResource):
    """Locations inside an org."""

    list = sync_method(ops.sites_list)
    iter = sync_pages(ops.sites_list)
    create = sync_method(ops.sites_create)


class ApiKeys(SyncResource):
    """User API keys."""

    list = sync_method(ops.api_keys_list)
    iter = sync_pages(ops.api_keys_list)
    create = sync_method(ops.api_keys_create)
    delete = sync_method(ops.api_keys_delete)


class Cameras(SyncResource):
    """Cameras and the gateway that records each."""

    list = sync_method(ops.cameras_list)
    iter = sync_pages(ops.cameras_list)
    create = sync_method(ops.cameras_create)
    get = sync_method(ops.cameras_get)
    update = sync_method(ops.cameras_update)
    delete = sync_method(ops.cameras_delete)
    recording_coverage = sync_method(ops.cameras_recording_coverage)


class Events(SyncResource):
    """The gateway event log: what changed and when."""

    list = sync_method(ops.events_list)
    iter = sync_pages(ops.events_list)


class Webhooks(SyncResource):
    """Signed deliveries of events to your endpoints."""

    list = sync_method(ops.webhooks_list)
    iter = sync_pages(ops.webhooks_list)
    create = sync_method(ops.webhooks_create)
    get = sync_method(ops.webhooks_get)
    update = sync_method(ops.webhooks_update)
    delete = sync_method(ops.webhooks_delete)
    rotate_secret = sync_method(ops.webhooks_rotate_secret)
    test = sync_method(ops.webhooks_test)
    deliveries = sync_method(ops.webhooks_deliveries)
    iter_deliveries = sync_pages(ops.webhooks_deliveries)
    redeliver = sync_method(ops.webhooks_redeliver)


class Commands(SyncResource):
    """Remote commands for gateways (since 1.3)."""

    create = sync_method(ops.commands_create)
    list = sync_method(ops.commands_list)
    iter = sync_pages(ops.commands_list)
    get = sync_method(ops.commands_get)
    cancel = sync_method(ops.commands_cancel)

    def wait(
        self, command_id: Id, /, *, timeout_s: float = DEFAULT_COMMAND_WAIT_S
    ) -> CommandResponse:
        """The command once it is finished (`FINISHED_COMMAND_STATUSES`), read with `get(...,
        wait_s=...)` (at most 30 s a read) until it is or `timeout_s` seconds have passed; then
        the command as last read, unfinished (look at its `status`). Errors are raised."""
        reads = _Reads(timeout_s)
        command = self.get(command_id, wait_s=reads.hold())
        while command.status not in ops.FINISHED_COMMAND_STATUSES:
            pause = reads.pause()
            if pause is None:
                break
            if pause > 0:
                _sleep(pause)
            command = self.get(command_id, wait_s=reads.hold())
        return command


class Config(SyncResource):
    """Gateway configuration: desired and reported documents with versions (since 1.3)."""

    get = sync_method(ops.config_get)
    put = sync_method(ops.config_put)
    patch = sync_method(ops.config_patch)
    schema = sync_method(ops.config_schema)

    def update(
        self, gateway_id: Id, /, change: Change, *, retries: int = CONFIG_UPDATE_RETRIES
    ) -> VersionedConfig:
        """A read-modify-write with the ETag handled: reads the configuration, calls `change`
        with a copy of its desired document, and writes what `change` returns with `put(...,
        if_match=<the ETag read>)`. When another write came in between (412), it reads again and
        calls `change` again, at most `retries` times; then the `PreconditionFailed` is raised
        (as is any other error, at once). Returns the configuration written and its ETag."""
        for attempt in range(max(retries, 0) + 1):
            current = self.get(gateway_id)
            desired = change(current.config.desired.model_copy(deep=True))
            try:
                return self.put(gateway_id, desired, if_match=current.etag)
            except PreconditionFailed:
                if attempt >= retries:
                    raise
        raise AssertionError("unreachable")  # the last attempt returns or raises


class Credentials(SyncResource):
    """Gateway keys: list, rotate, revoke (since 1.3)."""

    list = sync_method(ops.credentials_list)
    rotate_key = sync_method(ops.credentials_rotate_key)
    revoke_keys = sync_method(ops.credentials_revoke_keys)


class Health(SyncResource):
    """Liveness and readiness probes."""

    live = sync_method(ops.health_live)
    ready = sync_method(ops.health_ready)


# -- AsyncClient -----------------------------------------------------------------------------


class AsyncGateways(AsyncResource):
    """Pair, list, inspect, update and unpair gateways."""

    list = async_method(ops.gateways_list)
    iter = async_pages(ops.gateways_list)
    generate_pairing_code = async_method(ops.gateways_generate_pairing_code)
    create_pairing_code = async_method(ops.gateways_create_pairing_code)
    pair = async_method(ops.gateways_pair)
    get = async_method(ops.gateways_get)
    telemetry = async_method(ops.gateways_telemetry)
    update = async_method(ops.gateways_update)
    delete = async_method(ops.gateways_delete)
    availability = async_method(ops.gateways_availability)


class AsyncSites(AsyncResource):
    """Locations inside an org."""

    list = async_method(ops.sites_list)
    iter = async_pages(ops.sites_list)
    create = async_method(ops.sites_create)


class AsyncApiKeys(AsyncResource):
    """User API keys."""

    list = async_method(ops.api_keys_list)
    iter = async_pages(ops.api_keys_list)
    create = async_method(ops.api_keys_create)
    delete = async_method(ops.api_keys_delete)


class AsyncCameras(AsyncResource):
    """Cameras and the gateway that records each."""

    list = async_method(ops.cameras_list)
    iter = async_pages(ops.cameras_list)
    create = async_method(ops.cameras_create)
    get = async_method(ops.cameras_get)
    update = async_method(ops.cameras_update)
    delete = async_method(ops.cameras_delete)
    recording_coverage = async_method(ops.cameras_recording_coverage)


class AsyncEvents(AsyncResource):
    """The gateway event log: what changed and when."""

    list = async_method(ops.events_list)
    iter = async_pages(ops.events_list)


class AsyncWebhooks(AsyncResource):
    """Signed deliveries of events to your endpoints."""

    list = async_method(ops.webhooks_list)
    iter = async_pages(ops.webhooks_list)
    create = async_method(ops.webhooks_create)
    get = async_method(ops.webhooks_get)
    update = async_method(ops.webhooks_update)
    delete = async_method(ops.webhooks_delete)
    rotate_secret = async_method(ops.webhooks_rotate_secret)
    test = async_method(ops.webhooks_test)
    deliveries = async_method(ops.webhooks_deliveries)
    iter_deliveries = async_pages(ops.webhooks_deliveries)
    redeliver = async_method(ops.webhooks_redeliver)


class AsyncCommands(AsyncResource):
    """Remote commands for gateways (since 1.3)."""

    create = async_method(ops.commands_create)
    list = async_method(ops.commands_list)
    iter = async_pages(ops.commands_list)
    get = async_method(ops.commands_get)
    cancel = async_method(ops.commands_cancel)

    async def wait(
        self, command_id: Id, /, *, timeout_s: float = DEFAULT_COMMAND_WAIT_S
    ) -> CommandResponse:
        """`Commands.wait`, awaited."""
        reads = _Reads(timeout_s)
        command = await self.get(command_id, wait_s=reads.hold())
        while command.status not in ops.FINISHED_COMMAND_STATUSES:
            pause = reads.pause()
            if pause is None:
                break
            if pause > 0:
                await _async_sleep(pause)
            command = await self.get(command_id, wait_s=reads.hold())
        return command


class AsyncConfig(AsyncResource):
    """Gateway configuration: desired and reported documents with versions (since 1.3)."""

    get = async_method(ops.config_get)
    put = async_method(ops.config_put)
    patch = async_method(ops.config_patch)
    schema = async_method(ops.config_schema)

    async def update(
        self,
        gateway_id: Id,
        /,
        change: Callable[[ConfigDocumentSchema], ConfigDocument | Awaitable[ConfigDocument]],
        *,
        retries: int = CONFIG_UPDATE_RETRIES,
    ) -> VersionedConfig:
        """`Config.update`, awaited; `change` may be a coroutine function too."""
        for attempt in range(max(retries, 0) + 1):
            current = await self.get(gateway_id)
            desired = change(current.config.desired.model_copy(deep=True))
            if inspect.isawaitable(desired):
                desired = await desired
            try:
                return await self.put(gateway_id, desired, if_match=current.etag)
            except PreconditionFailed:
                if attempt >= retries:
                    raise
        raise AssertionError("unreachable")  # the last attempt returns or raises


class AsyncCredentials(AsyncResource):
    """Gateway keys: list, rotate, revoke (since 1.3)."""

    list = async_method(ops.credentials_list)
    rotate_key = async_method(ops.credentials_rotate_key)
    revoke_keys = async_method(ops.credentials_revoke_keys)


class AsyncHealth(AsyncResource):
    """Liveness and readiness probes."""

    live = async_method(ops.health_live)
    ready = async_method(ops.health_ready)
