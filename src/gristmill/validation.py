"""Reading pydantic's validation errors back to the caller in our words.

A caller who writes ``gm.KeywordSearch(path='text', query='')`` made a mistake with a value, so
they get an ``InvalidInputError`` that names the model, the field, what it must be and what it
got, on one line — not pydantic's multi-line report with its documentation link.
``InputModel`` is the base of the models callers build by hand (searches, dataset configs,
sources); ``invalid_input`` converts an error wherever one of our models is validated from a
caller's data (a dict of a search, a settings block).
"""

from __future__ import annotations

from typing import Any, ClassVar

import pydantic

from gristmill.errors import InvalidInputError, shown

_COMPARISONS = {
    "greater_than_equal": ">=",
    "greater_than": ">",
    "less_than_equal": "<=",
    "less_than": "<",
}


class InputModel(pydantic.BaseModel):
    """A model built from a caller's arguments: a bad value is an InvalidInputError.

    pydantic runs a model's own ``__init__`` whenever it validates one (``model_validate``, a
    field of a REST body), so the error is the same however the model is built.
    """

    # The error raised for a bad value; a family of models may name its own (sources: SourceError).
    input_error: ClassVar[type[InvalidInputError]] = InvalidInputError

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as error:
            raise invalid_input(error, type(self), self.input_error) from None


def invalid_input(
    error: pydantic.ValidationError,
    model: type[pydantic.BaseModel] | str,
    error_type: type[InvalidInputError] = InvalidInputError,
) -> InvalidInputError:
    """One line saying which fields were wrong and how, for any of our public models."""
    name = model if isinstance(model, str) else model.__name__
    details = error.errors()
    problems = [_problem(name, detail) for detail in details]
    # The field list helps with a misspelt or forgotten field; otherwise the message says it all.
    misnamed = any(detail.get("type") in ("missing", "extra_forbidden") for detail in details)
    fields = _field_list(model) if misnamed else ""
    return error_type(
        "; ".join(problems) or f"invalid {name}",
        hint=f"{name} takes {fields}" if fields else None,
    )


def _problem(model: str, detail: Any) -> str:
    location = ".".join(str(part) for part in detail.get("loc", ()))
    where = f"{model}.{location}" if location else model
    kind = detail.get("type", "")
    context = detail.get("ctx") or {}
    got = shown(detail.get("input"))
    if kind == "missing":
        return f"{where} is required"
    if kind == "extra_forbidden":
        return f"{model} has no field '{location}'"
    if kind == "string_too_short" and context.get("min_length") == 1:
        return f"{where} must be a non-empty string, got {got}"
    if kind == "string_type":
        return f"{where} must be a string, got {got}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{where} must be an integer, got {got}"
    if kind in ("float_type", "float_parsing"):
        return f"{where} must be a number, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"{where} must be true or false, got {got}"
    if kind in _COMPARISONS:
        limit = next(iter(context.values()), "?")
        return f"{where} must be {_COMPARISONS[kind]} {limit}, got {got}"
    if kind == "literal_error":
        return f"{where} must be {context.get('expected', 'one of the allowed values')}, got {got}"
    # pydantic's own wording for the rest ("Input should be greater than 0"), lower-cased.
    message = str(detail.get("msg", "is invalid"))
    return f"{where}: {message[:1].lower()}{message[1:]}, got {got}"


def _field_list(model: type[pydantic.BaseModel] | str) -> str:
    if isinstance(model, str):
        return ""
    # A search's 'type' is implied by its class: a caller never writes it.
    names = [name for name in model.model_fields if name != "type"]
    return ", ".join(names)


__all__ = ["InputModel", "invalid_input", "shown"]
