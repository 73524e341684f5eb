"""Finding concepts: built-ins (package data) and the user's (metadata DB) side by side."""

from __future__ import annotations

from gristmill.concepts import _model_store, _store
from gristmill.concepts._builtin import builtin_info, builtin_names
from gristmill.concepts._concept import Concept, forget_models
from gristmill.concepts._schema import BUILTIN_NAMESPACE, ConceptInfo
from gristmill.errors import InvalidInputError, NotFoundError, ReadOnlyError
from gristmill.project import validate_name

CONCEPT_TYPES = ("text",)


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
    concept_info(namespace, name)
    return Concept(namespace, name)


def concept_info(namespace: str, name: str) -> ConceptInfo:
    _validate(namespace, name)
    found = (
        builtin_info(name) if namespace == BUILTIN_NAMESPACE else _store.read_info(namespace, name)
    )
    if found is None:
        known = ", ".join(info.key for info in list_concepts()) or "none"
        raise NotFoundError(
            f"unknown concept {namespace}/{name}",
            hint=f"available: {known}; create one with create_concept('{namespace}', '{name}')",
        )
    return found


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
