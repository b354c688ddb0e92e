"""Encoding of contract models on the wire: JSON bytes via pydantic's Rust serializer."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from shared.errors import ErrorCode, PermanentError

M = TypeVar("M", bound=BaseModel)

JSON_HEADERS = {"content-type": "application/json"}


def encode(message: BaseModel) -> bytes:
    """Serialize a contract model to JSON bytes."""
    return message.model_dump_json().encode()


def decode(model: type[M], data: bytes | str) -> M:
    """Parse JSON into ``model`` or raise a PermanentError (malformed_message)."""
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        raise PermanentError(
            f"not a valid {model.__name__}: {exc.error_count()} error(s): {exc.errors()[0]['msg']}",
            code=ErrorCode.MALFORMED_MESSAGE,
        ) from exc
