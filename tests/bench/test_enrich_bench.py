"""Enrich benchmark: cost of everything but NER relative to NER, stories/s per core, two workers, RSS.

Run with ``make bench`` (or ``pytest -m bench -s tests/bench/test_enrich_bench.py``).
Numbers are printed with their ratios, measured in the same run, never asserted. The
baseline is the same enrich with spaCy's own NER decoding (``SpacyNer.reference``),
measured in this process right before the service path.
"""

from __future__ import annotations

import multiprocessing
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.contracts import NormalizedStory
from tests.unit.enrich.stories import MATCH, SUMMIT, story

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
STORIES = 60


def _stories(n: int) -> list[NormalizedStory]:
    """~800-word stories: the fixture paragraphs, varied per story so no two are equal."""
    out = []
    for i in range(n):
        paragraphs: list[str] = []
        while sum(len(p.split()) for p in paragraphs) < 800:
            k = len(paragraphs)
            source = SUMMIT[1] if (i + k // 5) % 2 == 0 else MATCH[1]
            paragraphs.append(source[k % len(source)].replace("Tuesday", f"day {i}-{k}"))
        out.append(story(SUMMIT[0] if i % 2 else MATCH[0], tuple(paragraphs), story_id=f"b-{i}", city="BRUSSELS"))
    return out


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _measure(n: int, *, baseline: bool = False) -> dict[str, float]:
    """Enrich ``n`` stories in this process; return NER and total seconds and RSS.

    ``baseline`` decodes NER with spaCy's own parser loop instead of the service's decoder.
    """
    from services.enrich import core
    from services.enrich.language import detect_language
    from services.enrich.models import load_models

    models = load_models()
    recognize = models.ner.reference if baseline else models.ner
    ner_s = 0.0

    def timed_ner(text: str):  # type: ignore[no-untyped-def]
        nonlocal ner_s
        started = time.perf_counter()
        try:
            return recognize(text)
        finally:
            ner_s += time.perf_counter() - started

    analyzers = core.Analyzers(recognize=timed_ner, gazetteer=models.gazetteer, topics=models.topics)
    stories = _stories(n)
    core.enrich(stories[0], now=NOW, detect_language=detect_language, analyzers=analyzers)  # warm up
    ner_s = 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    for s in stories:
        core.enrich(s, now=NOW, detect_language=detect_language, analyzers=analyzers)
        core.story_fingerprint(s)  # the service fingerprints every story for near-duplicates
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    words = core.count_words(stories[0].body_paragraphs)
    from collections import Counter

    from services.enrich.text import content_stems

    stems = [Counter(content_stems(" ".join(s.body_paragraphs))) for s in stories]
    started = time.perf_counter()
    for counts in stems:
        models.topics.assign(counts)
    topics_s = time.perf_counter() - started
    return {"total_s": total, "ner_s": ner_s, "rss_mb": _rss_mb(), "words": words, "topics_s": topics_s, "cpu_s": cpu}


def _worker(n: int, barrier: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue,  # type: ignore[type-arg]
            baseline: bool) -> None:
    from services.enrich.models import load_models

    load_models()
    barrier.wait()
    out.put(_measure(n, baseline=baseline))


def _parallel(workers: int, n: int, *, baseline: bool = False) -> float:
    """Stories/s of ``workers`` processes enriching ``n`` stories each, models loaded before the clock."""
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(n, barrier, out, baseline)) for _ in range(workers)]
    for p in procs:
        p.start()
    results = [out.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return workers * n / max(r["total_s"] for r in results)


@pytest.mark.bench
def test_enrich_costs_throughput_and_memory() -> None:
    base = _measure(STORIES, baseline=True)
    one = _measure(STORIES)
    other = one["total_s"] - one["ner_s"]
    base_other = base["total_s"] - base["ner_s"]
    per_story_ms = one["total_s"] / STORIES * 1000
    print(f"\nenrich bench: {STORIES} stories of ~{one['words']} words; baseline = spaCy's own NER decoding,"
          " measured in this run")
    print(f"  NER            {one['ner_s'] / STORIES * 1000:7.2f} ms/story (baseline"
          f" {base['ner_s'] / STORIES * 1000:.2f}; {base['ner_s'] / one['ner_s']:.2f}x faster)")
    print(f"  everything else {other / STORIES * 1000:6.2f} ms/story  = {other / one['ner_s']:.1%} of NER"
          f" (target <= 15%; baseline {base_other / STORIES * 1000:.2f} ms = {base_other / base['ner_s']:.1%})")
    print(f"  of which topics {one['topics_s'] / STORIES * 1000:6.2f} ms/story (lexical scorer over 1,085 concepts)")
    print(f"  one core       {STORIES / one['total_s']:7.1f} stories/s ({per_story_ms:.1f} ms/story; target >= 10;"
          f" baseline {STORIES / base['total_s']:.1f} = {base['total_s'] / one['total_s']:.2f}x)")
    print(f"  CPU time       {one['cpu_s'] / STORIES * 1000:7.1f} ms/story = {STORIES / one['cpu_s']:.1f} stories per"
          f" CPU-second (baseline {base['cpu_s'] / STORIES * 1000:.1f} ms = {STORIES / base['cpu_s']:.1f};"
          f" {base['cpu_s'] / one['cpu_s']:.2f}x; wall-clock figures suffer from other load on the machine)")
    print(f"  RSS            {one['rss_mb']:7.0f} MB after loading models and enriching (target < 600)")
    single = _parallel(1, STORIES)
    double = _parallel(2, STORIES)
    print(f"  1 worker process {single:6.1f} stories/s; 2 workers {double:6.1f} stories/s = {double / single:.2f}x"
          " (target >= 1.7x)")
    base_single = _parallel(1, STORIES, baseline=True)
    base_double = _parallel(2, STORIES, baseline=True)
    print(f"  baseline: 1 worker {base_single:6.1f} stories/s; 2 workers {base_double:6.1f} stories/s ="
          f" {base_double / base_single:.2f}x; service path vs baseline: {single / base_single:.2f}x with 1 worker,"
          f" {double / base_double:.2f}x with 2")
    assert one["ner_s"] > 0
    assert base["ner_s"] > 0
