"""Webhook delivery policy (pure): HMAC-SHA256 signatures, which failures to retry, and the backoff."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Newswire-Signature"
TIMESTAMP_HEADER = "X-Newswire-Timestamp"
EVENT_ID_HEADER = "X-Newswire-Event-Id"
RETRY_STATUSES = frozenset({408, 429})
"""The 4xx answers that mean "try again later" rather than "this request is wrong"."""
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh webhook signing secret."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: ``sha256=`` + HMAC-SHA256 over ``"<timestamp>." + body``.

    Signing the timestamp with the body lets receivers reject replays of old deliveries.
    """
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, now: int, tolerance_s: int = 300) -> bool:
    """What a receiver does: recompute the signature and check the timestamp is recent."""
    lowered = {k.lower(): v for k, v in headers.items()}
    stamp = lowered.get(TIMESTAMP_HEADER.lower(), "")
    if not stamp.isdigit() or abs(now - int(stamp)) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, int(stamp), body), lowered.get(SIGNATURE_HEADER.lower(), ""))


def retryable(status: int) -> bool:
    """True for answers worth retrying: server errors, 408 and 429; never other 4xx."""
    return status >= 500 or status in RETRY_STATUSES


def backoff_s(attempt: int, *, initial_s: float, max_s: float, retry_after: str | None = None) -> float:
    """Delay before retry number ``attempt`` (1-based): doubling, capped; a numeric Retry-After wins if longer."""
    delay = min(initial_s * 2.0 ** (attempt - 1), max_s)
    if retry_after and retry_after.strip().isdigit():
        delay = max(delay, min(float(retry_after), max_s))
    return delay
