"""A greedy decoder for spaCy's NER transition model that keeps the work in batched numpy.

Why: the installed spaCy wheel is built with Cython profiling hooks, so every tiny
``nogil`` state helper of its greedy parser (``StateC.B_``, ``safe_get``, the
``is_valid`` checks of 74 moves at each token) takes and drops the GIL twice. Profiling
an ~1,000-token story put ~65 ms of ~100 ms of NER in that loop, most of it GIL
hand-offs (``take_gil``/``drop_gil``/``pthread_mutex_*`` under ``StateC::B_``).

The NER transition system is simple enough to decode outside it. Every move consumes
exactly one token, so a state is only (position, open entity start, open label):

* while no entity is open, the features are ``(B0, -, -)`` and depend on the position
  alone, so the scores of every position are one batched product, and the best valid
  move (``B-x``, ``U-x`` or ``O``) of every position is one masked argmax;
* inside an entity only ``I-label`` and ``L-label`` are valid, so each such token
  needs the two scores of that label for the features ``(B0, E0, B0 - 1)``.

Validity follows ``spacy/pipeline/_parser_internals/ner.pyx`` for a fresh doc (no
preset entities, no sentence starts): ``B`` needs a next token and a non-space token,
``U`` a non-space token, ``I`` a next token, ``L`` always; label 0 (``U-``) never.
Scores follow ``spacy/ml/parser_model.pyx``: the precomputed feature rows summed in
feature order, plus the bias, max over pieces, then the output layer. The tokenizer,
``tok2vec`` and weights are spaCy's own, so the entities are spaCy's: the unit tests
compare both decoders span for span.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float32]
Span = tuple[int, int, str]
"""Token start, token end (exclusive) and label of one entity."""


@dataclass(frozen=True)
class _Moves:
    begin: npt.NDArray[np.intp]  # move index of B-label, per label index
    inside: npt.NDArray[np.intp]
    last: npt.NDArray[np.intp]
    unit: npt.NDArray[np.intp]
    out: int
    labels: tuple[str, ...]


def _moves(names: list[str]) -> _Moves | None:
    """Index the moves by kind and label, or None when they are not plain BILUO + O."""
    index = {name: i for i, name in enumerate(names)}
    labels = tuple(n[2:] for n in names if n.startswith("B-") and n != "B-")
    try:
        table = {k: np.array([index[f"{k}-{label}"] for label in labels], dtype=np.intp) for k in "BILU"}
        out = index["O"]
    except KeyError:
        return None
    expected = {*(f"{k}-{label}" for k in "BILU" for label in labels), "O", "U-"}
    if set(names) - expected:
        return None
    return _Moves(table["B"], table["I"], table["L"], table["U"], out, labels)


class GreedyNerDecoder:
    """Entities of a doc from spaCy's ``ner`` pipe, decoded greedily as the pipe itself would."""

    def __init__(self, ner: Any) -> None:
        """Take the weights of ``ner``; raise ``ValueError`` when its model is not the one decoded here."""
        model = ner.model
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        moves = _moves(names)
        if (
            moves is None
            or ner.cfg.get("beam_width", 1) != 1
            or not model.attrs.get("has_upper")
            or model.attrs.get("unseen_classes")
            or len(model.layers) != 3
        ):
            raise ValueError("not a greedy BILUO NER model with an output layer")
        lower, upper = model.layers[1], model.layers[2]
        if lower.get_dim("nF") != 3 or upper.get_dim("nO") != len(names):
            raise ValueError("unexpected NER feature layout")
        self._tok2vec: Callable[[list[Any]], Any] = model.layers[0].predict
        self._lower: Callable[[Any], Any] = lower.predict
        self._gemm = model.ops.gemm
        self._moves = moves
        self._pieces = int(lower.get_dim("nP"))
        self._hidden = int(lower.get_dim("nO"))
        self._bias: Floats = np.ascontiguousarray(lower.get_param("b").reshape(-1), dtype=np.float32)
        self._out_w: Floats = np.ascontiguousarray(upper.get_param("W"), dtype=np.float32)
        self._out_b: Floats = np.ascontiguousarray(upper.get_param("b"), dtype=np.float32)
        closed = np.zeros(len(names), dtype=bool)
        closed[moves.begin] = closed[moves.unit] = True
        closed[moves.out] = True
        self._closed_valid = closed
        self._no_begin = np.ones(len(names), dtype=bool)
        self._no_begin[moves.begin] = False
        self._label_of = np.full(len(names), -1, dtype=np.intp)
        for kind in (moves.begin, moves.inside, moves.last, moves.unit):
            self._label_of[kind] = np.arange(len(moves.labels))
        self._label_list: list[int] = self._label_of.tolist()
        self._kinds = self._kind_names()

    def _maxout(self, unmaxed: Floats) -> Floats:
        hidden: Floats = (unmaxed + self._bias).reshape(-1, self._hidden, self._pieces).max(axis=2)
        return hidden

    def __call__(self, doc: Any) -> list[Span]:
        """The entities of ``doc`` (not set on it) as (token start, token end, label)."""
        n = len(doc)
        if n == 0:
            return []
        tokvecs = self._tok2vec([doc])
        # (n + 1, 3, hidden * pieces): row 0 is the padding, row t + 1 token t's part of each feature
        cached: Floats = self._lower(tokvecs).reshape(n + 1, 3, -1)
        pad = cached[0]
        # Closed state: features (B0, none, none) for every position at once.
        unmaxed = cached[1:, 0] + pad[1]
        unmaxed += pad[2]
        scores = self._gemm(self._maxout(unmaxed), self._out_w, trans2=True)
        scores += self._out_b
        space = doc.to_array("IS_SPACE").astype(bool)
        valid = np.broadcast_to(self._closed_valid, scores.shape).copy()
        valid[space] = False
        valid[space, self._moves.out] = True
        valid[n - 1] &= self._no_begin
        scores[~valid] = -np.inf
        best = scores.argmax(axis=1).tolist()
        label_of, kinds = self._label_list, self._kinds
        labels = self._moves.labels
        spans: list[Span] = []
        b = 0
        while b < n:
            move = best[b]
            kind = kinds[move]
            if kind == "O":
                b += 1
                continue
            label = label_of[move]
            if kind == "U":
                spans.append((b, b + 1, labels[label]))
                b += 1
                continue
            start = b  # "B": an entity opens here; decode I/L of this label until it closes
            b += 1
            inside, last = int(self._moves.inside[label]), int(self._moves.last[label])
            rows = self._out_w[[inside, last]]
            row_bias = self._out_b[[inside, last]]
            first = cached[1 + start, 1]
            while True:
                if b >= n - 1:
                    break  # the last token can only close the entity
                unmaxed1 = cached[1 + b, 0] + first
                unmaxed1 += cached[b, 2]
                two = rows @ self._maxout(unmaxed1)[0] + row_bias
                if two[1] > two[0]:  # ties go to the lower move index, "I"
                    break
                b += 1
            spans.append((start, b + 1, labels[label]))
            b += 1
        return spans

    def _kind_names(self) -> list[str]:
        kinds = ["?"] * len(self._label_of)
        for kind, idx in (("B", self._moves.begin), ("I", self._moves.inside), ("L", self._moves.last),
                          ("U", self._moves.unit)):
            for i in idx.tolist():
                kinds[i] = kind
        kinds[self._moves.out] = "O"
        return kinds
