"""Typed errors with machine-readable codes: permanent ones go to the DLQ, transient ones are retried."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Why a message could not be processed; stable strings stored on dead letters."""

    MALFORMED_MESSAGE = "malformed_message"
    """The bytes on the topic are not a valid contract message."""
    EMPTY_INPUT = "empty_input"
    BINARY_INPUT = "binary_input"
    INPUT_TOO_LARGE = "input_too_large"
    UNDECODABLE_TEXT = "undecodable_text"
    NO_ARTICLE = "no_article"
    UNSUPPORTED_FORMAT = "unsupported_format"
    MALFORMED_ITEM = "malformed_item"
    """The item claims an agency format (ninjs, NewsML-G2, NITF, IPTC 7901) but does not parse as one."""
    EMPTY_BODY = "empty_body"
    BROKER_UNAVAILABLE = "broker_unavailable"
    DATABASE_UNAVAILABLE = "database_unavailable"
    RETRIES_EXHAUSTED = "retries_exhausted"
    UNEXPECTED = "unexpected"


class NewswireError(Exception):
    """Base of every error Newswire raises on purpose."""

    code: ErrorCode = ErrorCode.UNEXPECTED

    def __init__(self, message: str, *, code: ErrorCode | None = None) -> None:
        """Create an error with a human message and an optional code override."""
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        """The human-readable reason."""
        return str(self.args[0]) if self.args else ""


class PermanentError(NewswireError):
    """Bad input: retrying cannot help. Dead-letter it, commit, move on."""

    code = ErrorCode.MALFORMED_MESSAGE


class TransientError(NewswireError):
    """A dependency hiccup: retry with bounded backoff, then dead-letter."""

    code = ErrorCode.UNEXPECTED
