"""A concept: labelled examples (with versions and drafts) and the models trained on them."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gristmill.concepts import _model_store, _store
from gristmill.concepts._builtin import load_builtin
from gristmill.concepts._embedding_cache import embed_cached
from gristmill.concepts._model import ConceptModel, train_model
from gristmill.concepts._schema import BUILTIN_NAMESPACE, MAIN_DRAFT, ConceptExample, ConceptInfo
from gristmill.embed import get_embedding
from gristmill.errors import InvalidInputError, NotFoundError, ReadOnlyError
from gristmill.project import validate_name

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatVector = npt.NDArray[np.float64]

DEFAULT_EMBEDDING = "minilm"
ExampleInput = str | Mapping[str, Any]

# Models already loaded or trained in this process, by (namespace, name, incarnation, draft,
# version, embedding model id). The version retires an entry as soon as the concept is edited;
# the incarnation (when the concept was created) keeps a deleted and recreated concept, whose
# version numbers start over, from getting its predecessor's model, even when another process
# did the deleting. delete_concept also drops the entries (forget_models).
MemoKey = tuple[str, str, str, str, int, str]
_memo_lock = threading.Lock()
_memo: dict[MemoKey, ConceptModel] = {}


def forget_models(namespace: str, name: str) -> None:
    """Drop this process's remembered models of a concept (it was deleted or recreated)."""
    with _memo_lock:
        for key in [k for k in _memo if k[:2] == (namespace, name)]:
            del _memo[key]


class Concept:
    """A named binary classifier over embeddings, defined by labelled text examples.

    Edits (``add_examples``, ``remove_examples``, ``merge_draft``) each bump ``version``.
    Edits to a named draft stay out of ``main`` until merged; scoring with ``draft='x'`` uses
    main's examples overridden by draft x's (Lilac's drafts).
    """

    def __init__(self, namespace: str, name: str) -> None:
        self.namespace = namespace
        self.name = name

    # --- reading ---------------------------------------------------------------------------

    @property
    def builtin(self) -> bool:
        return self.namespace == BUILTIN_NAMESPACE

    def info(self) -> ConceptInfo:
        from gristmill.concepts._catalog import concept_info  # _catalog imports Concept: a cycle

        return concept_info(self.namespace, self.name)

    @property
    def version(self) -> int:
        return self.info().version

    @property
    def description(self) -> str | None:
        return self.info().description

    def drafts(self) -> list[str]:
        return self.info().drafts

    def examples(self, draft: str = MAIN_DRAFT) -> list[ConceptExample]:
        """The examples a model for ``draft`` trains on: main's, overridden by the draft's."""
        validate_name(draft, "draft name")
        if self.builtin:
            return list(self._builtin_file().examples) if draft == MAIN_DRAFT else []
        stored = _store.read_examples(self.namespace, self.name, {MAIN_DRAFT, draft})
        in_draft = {x.text for x in stored if x.draft == draft and draft != MAIN_DRAFT}
        return [x for x in stored if x.draft == draft or x.text not in in_draft]

    # --- editing ---------------------------------------------------------------------------

    def add_examples(
        self,
        examples: Iterable[ExampleInput],
        label: bool | None = None,
        *,
        draft: str = MAIN_DRAFT,
        source: str | None = None,
    ) -> list[ConceptExample]:
        """Add texts (with ``label`` for all) or dicts ``{'text': ..., 'label': ...}``.

        A text already in the same draft has its label replaced rather than duplicated.
        """
        self._writable()
        validate_name(draft, "draft name")
        new = _parse_examples(examples, label, source)
        added, _ = _store.add_examples(self.namespace, self.name, draft, new)
        return added

    def remove_examples(self, ids: Iterable[str]) -> int:
        """Remove examples by id; returns how many existed."""
        self._writable()
        id_list = [ids] if isinstance(ids, str) else list(ids)
        removed, _ = _store.remove_examples(self.namespace, self.name, id_list)
        return removed

    def merge_draft(self, draft: str) -> int:
        """Fold a draft into main (its examples replace main's with the same text)."""
        self._writable()
        self._require_draft(draft)
        moved, _ = _store.merge_draft(self.namespace, self.name, draft)
        return moved

    def delete_draft(self, draft: str) -> int:
        """Discard a draft's examples; returns how many were discarded."""
        self._writable()
        self._require_draft(draft)
        removed, _ = _store.delete_draft(self.namespace, self.name, draft)
        return removed

    def fork(self, namespace: str, name: str | None = None) -> Concept:
        """Copy this concept's main examples into a new, editable concept."""
        from gristmill.concepts._catalog import create_concept  # _catalog imports Concept: a cycle

        info = self.info()
        copy = create_concept(namespace, name or self.name, info.type, info.description)
        copy.add_examples(
            [{"text": x.text, "label": x.label, "source": x.source} for x in self.examples()]
        )
        return copy

    # --- models and scoring ----------------------------------------------------------------

    def model(self, embedding: str = DEFAULT_EMBEDDING, draft: str = MAIN_DRAFT) -> ConceptModel:
        """The model for the current version and ``embedding``: loaded if saved, else trained."""
        self._require_draft(draft)
        embedder = get_embedding(embedding)
        info = self.info()
        key = self._memo_key(info, draft, embedder.model_id)
        with _memo_lock:
            cached = _memo.get(key)
        if cached is not None:
            return cached
        found = self._load_saved(draft, info.version, embedding, embedder.model_id)
        if found is None:
            # train() remembers what it trains, under the version it actually read (an edit
            # from elsewhere may have landed since info() above).
            return self.train(embedding, draft)
        with _memo_lock:
            _memo[key] = found
        return found

    def saved_model(
        self,
        embedding: str = DEFAULT_EMBEDDING,
        draft: str = MAIN_DRAFT,
        *,
        version: int | None = None,
    ) -> ConceptModel | None:
        """The model already trained for ``version`` (default: the current one) and
        ``embedding``, or None; unlike ``model`` it never trains, so it is cheap to ask."""
        self._require_draft(draft)
        model_id = get_embedding(embedding).model_id
        if version is None:
            version = self.info().version
        return self._load_saved(draft, version, embedding, model_id)

    def train(self, embedding: str = DEFAULT_EMBEDDING, draft: str = MAIN_DRAFT) -> ConceptModel:
        """Train (again) on the current examples, save the model and return it."""
        self._require_draft(draft)
        embedder = get_embedding(embedding)
        info = self.info()
        version = info.version
        # A canonical order (texts are unique within a draft): the stored order depends on
        # random example ids, and cross-validation folds must depend only on the examples.
        examples = sorted(self.examples(draft), key=lambda x: x.text)
        vectors = embed_cached(embedder, [x.text for x in examples]) if examples else None
        if vectors is None:
            import numpy as np

            vectors = np.zeros((0, embedder.dim), dtype=np.float32)
        model = train_model(
            vectors,
            [x.label for x in examples],
            namespace=self.namespace,
            name=self.name,
            draft=draft,
            concept_version=version,
            embedding=embedding,
            embedding_model_id=embedder.model_id,
        )
        _model_store.save_model(model)
        with _memo_lock:
            _memo[self._memo_key(info, draft, embedder.model_id)] = model
        return model

    def score(
        self,
        texts: Sequence[str | None],
        embedding: str = DEFAULT_EMBEDDING,
        draft: str = MAIN_DRAFT,
    ) -> FloatVector:
        """Probability that each text is the concept; NaN for None and blank texts."""
        import numpy as np

        if isinstance(texts, str):
            raise InvalidInputError(
                "score() takes a list of texts, got a single string",
                hint="wrap it in a list: concept.score([text])",
            )
        items = list(texts)
        model = self.model(embedding, draft)
        scores = np.full(len(items), np.nan, dtype=np.float64)
        present = [i for i, t in enumerate(items) if isinstance(t, str) and t.strip()]
        if present:
            vectors = get_embedding(embedding).embed([str(items[i]) for i in present])
            scores[present] = model.score_vectors(vectors)
        return scores

    # --- helpers ---------------------------------------------------------------------------

    def _memo_key(self, info: ConceptInfo, draft: str, model_id: str) -> MemoKey:
        incarnation = info.created_at.isoformat() if info.created_at else "builtin"
        return (self.namespace, self.name, incarnation, draft, info.version, model_id)

    def _load_saved(
        self, draft: str, version: int, embedding: str, model_id: str
    ) -> ConceptModel | None:
        found = _model_store.load_model(self.namespace, self.name, draft, version, model_id)
        if found is None and self.builtin and draft == MAIN_DRAFT:
            found = _model_store.load_packaged_model(self.name, embedding, version, model_id)
        return found

    def _builtin_file(self) -> Any:
        loaded = load_builtin(self.name)
        if loaded is None:  # pragma: no cover - get_concept checked it exists
            raise NotFoundError(f"no built-in concept '{self.name}'")
        return loaded

    def _writable(self) -> None:
        if self.builtin:
            raise ReadOnlyError(
                f"built-in concept {self.namespace}/{self.name} cannot be edited",
                hint=f"copy it into your own namespace and edit the copy:"
                f" get_concept('{self.namespace}', '{self.name}').fork('local')",
            )

    def _require_draft(self, draft: str) -> None:
        validate_name(draft, "draft name")
        if draft != MAIN_DRAFT and draft not in self.drafts():
            raise NotFoundError(
                f"concept {self.namespace}/{self.name} has no draft '{draft}'",
                hint=f"drafts: {', '.join(self.drafts())}; add examples with draft='{draft}'"
                " to start one",
            )

    def __repr__(self) -> str:
        return f"Concept({self.namespace!r}, {self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Concept) and (other.namespace, other.name) == (
            self.namespace,
            self.name,
        )

    def __hash__(self) -> int:
        return hash((self.namespace, self.name))


def _parse_examples(
    examples: Iterable[ExampleInput], label: bool | None, source: str | None
) -> list[_store.NewExample]:
    if isinstance(examples, str | Mapping):
        raise InvalidInputError(
            "add_examples() takes a list of examples, got a single one",
            hint="wrap it in a list: add_examples([text], label=True)",
        )
    if label is not None and not isinstance(label, bool):
        raise InvalidInputError(f"label must be True or False, got {label!r}")
    parsed: list[_store.NewExample] = []
    for position, item in enumerate(examples):
        text: object
        item_label: object
        item_source: object
        if isinstance(item, str):
            text, item_label, item_source = item, label, source
        elif isinstance(item, Mapping):
            text = item.get("text")
            item_label = item.get("label", label)
            item_source = item.get("source", source)
        else:
            raise InvalidInputError(
                f"example #{position} is {type(item).__name__}",
                hint="pass strings (with label=...) or dicts {'text': ..., 'label': True/False}",
            )
        if not isinstance(text, str) or not text.strip():
            raise InvalidInputError(
                f"example #{position} has no text ({text!r})",
                hint="every example needs a non-empty string 'text'",
            )
        if not isinstance(item_label, bool):
            raise InvalidInputError(
                f"example #{position} ({text[:40]!r}) has no True/False label",
                hint="pass label=True or label=False, or a dict with 'label'",
            )
        if item_source is not None and not isinstance(item_source, str):
            raise InvalidInputError(f"example #{position} has a non-string source")
        parsed.append(_store.NewExample(text, item_label, item_source))
    if not parsed:
        raise InvalidInputError("add_examples() got no examples", hint="pass at least one text")
    return parsed
