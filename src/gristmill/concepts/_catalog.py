"""Finding concepts: built-ins (package data) and the user's (metadata DB) side by side."""

from __future__ import annotations

from gristmill.concepts import _model_store, _store
from gristmill.concepts._builtin import builtin_info, builtin_names
from gristmill.concepts._concept import Concept, forget_models
from gristmill.concepts._schema import BUILTIN_NAMESPACE, ConceptInfo
from gristmill.errors import InvalidInputError, NotFoundError, ReadOnlyError
from gristmill.project import validate_name

CONCEPT_TYPES = ("text",)

LILAC_NAMESPACE = "lilac"
# Lilac's built-in concepts and the Gristmill built-in standing in for each (None: no stand-in),
# so code written for Lilac (ConceptSearch(concept_namespace='lilac', ...)) runs unchanged.
LILAC_BUILTINS: dict[str, str | None] = {
    "profanity": "profanity",
    "toxicity": "toxicity",
    "non-english": "non-english",
    "source-code": "source-code",
    "legal-termination": "legal",
    "positive-sentiment": None,
    "negative-sentiment": None,
    "question": None,
}


def resolve_concept(namespace: str, name: str) -> tuple[str, str]:
    """The concept ``namespace/name`` names: Lilac's built-in names read the Gristmill built-in
    standing in for them (read-only), unless the user made a concept of that name."""
    target = LILAC_BUILTINS.get(name) if namespace == LILAC_NAMESPACE else None
    if target is None or target not in builtin_names():
        return namespace, name
    if _store.read_info(namespace, name) is not None:
        return namespace, name
    return BUILTIN_NAMESPACE, target


def create_concept(
    namespace: str, name: str, type: str = "text", description: str | None = None
) -> Concept:
    """A new, empty concept (add examples to it, then score with it)."""
    _validate(namespace, name)
    if namespace == BUILTIN_NAMESPACE:
        raise ReadOnlyError(
            f"the namespace '{BUILTIN_NAMESPACE}' is reserved for built-in concepts",
            hint="use your own namespace, e.g. create_concept('local', ...)",
        )
    resolved = resolve_concept(namespace, name)
    if resolved != (namespace, name):
        # An empty concept here would hide the built-in and score nothing useful.
        raise ReadOnlyError(
            f"{namespace}/{name} is Lilac's name for the built-in {'/'.join(resolved)}",
            hint=f"use it as is, or fork an editable copy:"
            f" get_concept('{resolved[0]}', '{resolved[1]}').fork('local')",
        )
    if type not in CONCEPT_TYPES:
        raise InvalidInputError(
            f"unknown concept type {type!r}", hint=f"use one of: {', '.join(CONCEPT_TYPES)}"
        )
    _store.insert_concept(namespace, name, type, description)
    # A concept of the same name deleted earlier may have left models; they must not be reused.
    _model_store.delete_models(namespace, name)
    forget_models(namespace, name)
    return Concept(namespace, name)


def get_concept(namespace: str, name: str) -> Concept:
    """The concept ``namespace/name``; an unknown one raises NotFoundError listing the others."""
    info = concept_info(namespace, name)
    return Concept(info.namespace, info.name)


def concept_info(namespace: str, name: str) -> ConceptInfo:
    """What ``get_concept(namespace, name).info()`` says, in one read (Lilac's names resolve to
    the built-ins); an unknown concept raises NotFoundError listing the others."""
    _validate(namespace, name)
    resolved_namespace, resolved_name = resolve_concept(namespace, name)
    found = (
        builtin_info(resolved_name)
        if resolved_namespace == BUILTIN_NAMESPACE
        else _store.read_info(resolved_namespace, resolved_name)
    )
    if found is None:
        raise NotFoundError(
            f"unknown concept {namespace}/{name}", hint=_missing_hint(namespace, name)
        )
    return found


def _missing_hint(namespace: str, name: str) -> str:
    known = ", ".join(info.key for info in list_concepts()) or "none"
    if name in builtin_names():
        return f"use the built-in: ('{BUILTIN_NAMESPACE}', '{name}'); available: {known}"
    if namespace == LILAC_NAMESPACE and name in LILAC_BUILTINS:
        return (
            f"Gristmill ships no stand-in for Lilac's {namespace}/{name}; available: {known}."
            f" To score it, create_concept('local', '{name}') and add labelled examples"
            " (positive and negative) before searching with it"
        )
    return (
        f"available: {known}; to make a new one, create_concept('{namespace}', '{name}') and add"
        " labelled examples"
    )


def list_concepts(namespace: str | None = None) -> list[ConceptInfo]:
    """Built-in and user concepts (of one namespace, if given), sorted by namespace and name."""
    infos: list[ConceptInfo] = []
    if namespace in (None, BUILTIN_NAMESPACE):
        infos.extend(info for name in builtin_names() if (info := builtin_info(name)))
    if namespace != BUILTIN_NAMESPACE:
        infos.extend(_store.list_infos(namespace))
    return sorted(infos, key=lambda info: (info.namespace, info.name))


def delete_concept(namespace: str, name: str) -> None:
    """Delete a user concept, its examples and its saved models."""
    _validate(namespace, name)
    if namespace == BUILTIN_NAMESPACE:
        raise ReadOnlyError(
            f"built-in concept {namespace}/{name} cannot be deleted",
            hint="it ships with Gristmill; fork it to make an editable copy",
        )
    if not _store.delete_concept(namespace, name):
        concept_info(namespace, name)  # raises NotFoundError listing the available ones
    _model_store.delete_models(namespace, name)
    forget_models(namespace, name)


def _validate(namespace: str, name: str) -> None:
    validate_name(namespace, "concept namespace")
    validate_name(name, "concept name")
