"""A wire story body and a syndicated copy of it, written for the near-duplicate tests."""

from __future__ import annotations

from tests.unit.enrich.stories import SUMMIT

WIRE_BODY = SUMMIT[1]
SYNDICATED_BODY = (  # another site's copy: its own intro line, one sentence trimmed, a footer
    "Published by Example Daily from wire reports.",
    *WIRE_BODY[:-1],
    WIRE_BODY[-1].split(".")[0] + ".",
    "Copyright Example Daily. All rights reserved.",
)
