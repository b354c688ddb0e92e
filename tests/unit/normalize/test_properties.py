from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.normalize.core import InputFormat, normalize
from shared.contracts import NormalizedStory
from shared.errors import ErrorCode, PermanentError
from tests.unit.normalize.helpers import NOW, raw_item

_TEXTISH = st.text(alphabet=st.sampled_from(list("ab cD.\n\n<p>—“”โ€™ลซé€ÃÂ")), max_size=3000)


def _outcome(body: bytes, fmt: InputFormat | None) -> None:
    # Any other exception type propagates and fails the test.
    try:
        story = normalize(raw_item(body), now=NOW, max_bytes=20_000, force_format=fmt)
    except PermanentError as exc:
        code = exc.code
        assert code in set(ErrorCode)
    else:
        assert isinstance(story, NormalizedStory)


@settings(max_examples=150, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=30_000), fmt=st.sampled_from([None, InputFormat.HTML, InputFormat.TEXT]))
def test_arbitrary_bytes_give_a_story_or_a_permanent_error(body: bytes, fmt: InputFormat | None) -> None:
    _outcome(body, fmt)


@settings(max_examples=150, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTISH, fmt=st.sampled_from([None, InputFormat.HTML, InputFormat.TEXT]))
def test_text_like_input_gives_a_story_or_a_permanent_error(text: str, fmt: InputFormat | None) -> None:
    _outcome(text.encode("utf-8"), fmt)
