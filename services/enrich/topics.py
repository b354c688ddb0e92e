"""IPTC Media Topics: the shipped vocabulary and a lexical scorer over its labels and definitions.

Each concept is described by the stems of its English name (strong evidence) and
definition (weak evidence), weighted by how rare a stem is across the vocabulary.
A story's score for a concept is the overlap with the story's stems (headline and
lead count more); detailed concepts pass their evidence up to their ancestors so
the top-level ranking reflects the whole subtree. It costs ~0.4 ms per ~800-word
story (tests/bench/test_enrich_bench.py) and needs no model: the MiniLM route
would add onnxruntime, a tokenizer and ~23 MB of weights for an unmeasured gain.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from services.enrich.text import content_stems
from services.enrich.topic_cues import CUES
from shared.contracts import Subject

DATA_FILE = Path(__file__).with_name("data") / "mediatopics.json"
URI = "http://cv.iptc.org/newscodes/mediatopic/"
NAME_WEIGHT, DEFINITION_WEIGHT = 3.0, 1.0
PARENT_SHARE = 0.6
"""Share of a concept's score passed to its broader concept: deep evidence still counts up the tree."""
EVIDENCE_PER_TOPIC = 5


@dataclass(frozen=True)
class Concept:
    """One active Media Topic."""

    code: str
    level: int
    broader: str | None
    name: str
    definition: str


class MediaTopics:
    """The vocabulary plus an inverted index stem -> [(code, weight)]; read-only after construction."""

    def __init__(self, concepts: list[Concept], cues: Mapping[str, str] | None = None) -> None:
        """Index ``concepts``; ``cues`` maps extra stems (e.g. 'nato') to a concept code."""
        self.concepts = {c.code: c for c in concepts}
        raw: dict[str, dict[str, float]] = {}
        for c in concepts:
            weights: dict[str, float] = defaultdict(float)
            for s in content_stems(c.name):
                weights[s] = max(weights[s], NAME_WEIGHT)
            for s in content_stems(c.definition):
                weights[s] = max(weights[s], DEFINITION_WEIGHT)
            raw[c.code] = weights
        for stem_, code in (cues or {}).items():
            raw[code][stem_] = max(raw[code].get(stem_, 0.0), NAME_WEIGHT)
        df = Counter(s for weights in raw.values() for s in weights)
        n = len(concepts)
        self.index: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for code, weights in raw.items():
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for s, w in weights.items():
                self.index[s].append((code, w * math.log(1 + n / df[s]) / norm))
        # assign looks up the root of every matched concept: walk each ancestry once, here
        self._roots = {code: self._root(code) for entries in self.index.values() for code, _ in entries}

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> MediaTopics:
        """Read the shipped JSON vocabulary."""
        doc = json.loads(path.read_text(encoding="utf-8"))
        concepts = [Concept(**c) for c in doc["concepts"]]
        return cls(concepts, cues=CUES)

    def _root(self, code: str) -> tuple[str, int]:
        """The level-1 ancestor of ``code`` and how many steps up it is."""
        depth = 0
        while (parent := self.concepts[code].broader) is not None:
            code, depth = parent, depth + 1
        return code, depth

    def top_level(self) -> list[Concept]:
        """The level-1 concepts."""
        return [c for c in self.concepts.values() if c.level == 1]

    def subject(self, code: str, score: float) -> Subject:
        """A contract ``Subject`` for ``code``."""
        c = self.concepts[code]
        return Subject(code=code, name=c.name, uri=URI + code, score=round(min(max(score, 0.0), 1.0), 3),
                       level=c.level)

    def assign(self, weighted_stems: Counter[str], *, detailed: int = 5, top: int = 3) -> tuple[Subject, ...]:
        """Top-level and detailed subjects for a story's (weighted) stem counts, best first."""
        direct: dict[str, float] = defaultdict(float)
        evidence: dict[str, dict[str, float]] = defaultdict(dict)
        roots = self._roots
        for s, tf in weighted_stems.items():
            for code, w in self.index.get(s, ()):
                score = w * (1 + math.log(tf))
                direct[code] += score
                root, depth = roots[code]
                # A word counts once per top-level topic, where it is strongest: "media" must not
                # score for arts four times over through "mass media", "news media"...
                evidence[root][s] = max(evidence[root].get(s, 0.0), score * PARENT_SHARE**depth)
        if not evidence:
            return ()
        # The strongest few words decide a top-level topic: summing all of them would favour
        # the largest subtrees (sport has hundreds of concepts each matching a common word).
        total = {root: sum(sorted(by_stem.values(), reverse=True)[:EVIDENCE_PER_TOPIC])
                 for root, by_stem in evidence.items()}
        best = max(total.values())
        tops = sorted(total, key=lambda c: -total[c])[:top]
        deep = sorted((c for c in direct if self.concepts[c].level > 1), key=lambda c: -direct[c])[:detailed]
        top_score = {root: total[root] / best for root in tops}
        subjects = [self.subject(c, top_score[c]) for c in tops]
        subjects += [self.subject(c, direct[c] / max(direct.values())) for c in deep]
        return tuple(subjects)

