"""Extraction benchmark: body token precision/recall/F1 against gold bodies, and pages/s vs trafilatura.

Layout read (the Scrapinghub article-extraction-benchmark's): ``DIR/ground-truth.json`` mapping
page ids to ``{"articleBody": ...}`` and ``DIR/html/<id>.html[.gz]``.
"""

from __future__ import annotations

import gzip
import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from services.normalize.core import normalize
from services.normalize.sniff import InputFormat
from shared.contracts import RawItem
from shared.errors import PermanentError

_TOKEN = re.compile(r"\w+")
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MAX_BYTES = 50_000_000

Extractor = Callable[[bytes], str]


@dataclass(frozen=True, slots=True)
class Score:
    """Mean precision/recall over pages, F1 of those means, and throughput."""

    name: str
    precision: float
    recall: float
    f1: float
    pages: int
    seconds: float

    @property
    def pages_per_second(self) -> float:
        """Pages extracted per CPU second."""
        return self.pages / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        """One printable summary line."""
        return (
            f"{self.name:<12} P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f} "
            f"pages={self.pages} {self.pages_per_second:.1f} pages/s (CPU)"
        )


def tokens(text: str) -> Counter[str]:
    """Lower-cased word tokens of NFC text, as a multiset."""
    return Counter(_TOKEN.findall(unicodedata.normalize("NFC", text).lower()))


def precision_recall(predicted: str, gold: str) -> tuple[float, float]:
    """Token precision and recall of one extracted body against its gold body."""
    p, g = tokens(predicted), tokens(gold)
    common = sum((p & g).values())
    precision = common / sum(p.values()) if p else (1.0 if not g else 0.0)
    recall = common / sum(g.values()) if g else 1.0
    return precision, recall


def load_pages(directory: Path) -> Iterator[tuple[str, bytes, str]]:
    """Yield (page id, html bytes, gold body) for every page of the benchmark directory."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, item in sorted(truth.items()):
        for path in (directory / "html" / f"{page_id}.html.gz", directory / "html" / f"{page_id}.html"):
            if path.exists():
                data = path.read_bytes()
                yield page_id, gzip.decompress(data) if path.suffix == ".gz" else data, item["articleBody"]
                break


def newswire_body(html: bytes) -> str:
    """Body text as the normalizer extracts it (empty on a permanent error)."""
    raw = RawItem(story_id="eval", item_id="eval", source="eval", content_type="text/html", body=html,
                  received_at=_EPOCH, url="https://eval.invalid/")  # fmt: skip
    try:
        story = normalize(raw, now=_EPOCH, max_bytes=_MAX_BYTES, force_format=InputFormat.HTML)
    except PermanentError:
        return ""
    return "\n".join(story.body_paragraphs)


def trafilatura_body(html: bytes) -> str:
    """Body text as trafilatura extracts it with its default (balanced) settings."""
    import trafilatura  # a dev-only dependency, imported only when comparing

    return trafilatura.extract(html, include_comments=False, include_tables=False) or ""


def score(name: str, extractor: Extractor, pages: list[tuple[str, bytes, str]]) -> tuple[Score, dict[str, float]]:
    """Run one extractor over all pages; return its score and each page's F1."""
    precisions: list[float] = []
    recalls: list[float] = []
    per_page: dict[str, float] = {}
    elapsed = 0.0
    if pages:  # warm-up, not timed: first calls pay for lazy imports and compiled patterns
        extractor(pages[0][1])
    for page_id, html, gold in pages:
        # CPU time of this process: other work on a shared machine does not count against either side.
        started = time.process_time()
        body = extractor(html)
        elapsed += time.process_time() - started
        p, r = precision_recall(body, gold)
        precisions.append(p)
        recalls.append(r)
        per_page[page_id] = 2 * p * r / (p + r) if p + r else 0.0
    mp, mr = sum(precisions) / len(pages), sum(recalls) / len(pages)
    f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    return Score(name, mp, mr, f1, len(pages), elapsed), per_page


def run(directory: Path, *, compare_trafilatura: bool, worst: int = 0) -> list[str]:
    """Score the normalizer (and optionally trafilatura) on a benchmark directory; return report lines."""
    pages = list(load_pages(directory))
    if not pages:
        return [f"no pages with gold bodies under {directory}"]
    ours, per_page = score("newswire", newswire_body, pages)
    lines = [ours.line()]
    if compare_trafilatura:
        theirs, _ = score("trafilatura", trafilatura_body, pages)
        ratio = ours.pages_per_second / theirs.pages_per_second if theirs.pages_per_second else 0.0
        lines += [
            theirs.line(),
            f"speed ratio newswire/trafilatura: {ratio:.2f}x, F1 delta {ours.f1 - theirs.f1:+.4f}",
        ]
    for page_id in sorted(per_page, key=per_page.__getitem__)[:worst]:
        lines.append(f"worst {per_page[page_id]:.3f} {page_id}")
    return lines
