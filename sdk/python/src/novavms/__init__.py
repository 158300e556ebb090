"""Python client of the NovaVMS Gateway API.

from novavms import Client

with Client(api_key="sk_live_...", base_url="https://novavms.example.com") as client:
    gateways = client.gateways.list()
"""

from . import models
from ._core import NOT_GIVEN, NotGiven, RetryPolicy
from ._core import AsyncPageIterator as AsyncPageIterator
from ._core import PageIterator as PageIterator
from ._operations import FINISHED_COMMAND_STATUSES, VersionedConfig
from .client import DEFAULT_BASE_URL, AsyncClient, Client, __version__
from .errors import (
    ApiError,
    AuthRequired,
    Conflict,
    Forbidden,
    Gone,
    InternalError,
    NetworkError,
    NotFound,
    NovaVMSError,
    PayloadTooLarge,
    PreconditionFailed,
    RateLimited,
    ServiceUnavailable,
    UnexpectedResponse,
    ValidationError,
    WebhookVerificationError,
)
from .webhooks import verify_webhook

__all__ = [
    "DEFAULT_BASE_URL",
    "FINISHED_COMMAND_STATUSES",
    "NOT_GIVEN",
    "ApiError",
    "AsyncClient",
    "AsyncPageIterator",
    "AuthRequired",
    "Client",
    "Conflict",
    "Forbidden",
    "Gone",
    "InternalError",
    "NetworkError",
    "NotFound",
    "NotGiven",
    "NovaVMSError",
    "PageIterator",
    "PayloadTooLarge",
    "PreconditionFailed",
    "RateLimited",
    "RetryPolicy",
    "ServiceUnavailable",
    "UnexpectedResponse",
    "ValidationError",
    "VersionedConfig",
    "WebhookVerificationError",
    "__version__",
    "models",
    "verify_webhook",
]
