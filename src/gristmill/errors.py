"""Every error Gristmill raises on purpose, in one place.

The hierarchy::

    GristmillError                 base: a message plus a hint saying how to fix it
    ├── UserError                  the caller asked for something that cannot be done (CLI: one
    │   │                          line, exit 2, no traceback; server: 4xx)
    │   ├── InvalidInputError      a value, name, path, filter or file is malformed      (400)
    │   │   ├── InvalidNameError   a dataset/concept name that is unsafe or empty
    │   │   ├── InvalidPathError   a column path that does not exist in the schema
    │   │   ├── InvalidFilterError an unknown op, a value of the wrong type, a bad regex
    │   │   └── SourceError        a file that is missing, empty or malformed (file:line)
    │   ├── NotFoundError          no such dataset, job, concept, embedding, provider    (404)
    │   │   └── MissingEmbeddingError  a search needs an embedding not computed yet
    │   ├── AlreadyExistsError     the name is taken and overwrite was not asked for     (409)
    │   ├── ConflictError          another process is writing the same dataset or column (409)
    │   ├── MissingDependencyError an optional package or system file is not installed   (400)
    │   └── ReadOnlyError          a write on a read-only server or project              (403)
    ├── JobError                   long work that failed; the dataset stays as it was    (500)
    │   ├── MapFunctionError       the user's function raised on a row (row id + traceback)
    │   └── JobCancelledError      the job was cancelled by the user                     (409)
    └── ProviderError              an outside service (LLM, embedding server) failed     (502)
        └── ProviderUnreachableError  it could not be reached, or did not answer in time

Errors carry ``hint`` (how to fix it) and ``status_code`` (the HTTP status the server answers
with), so the interfaces render them without knowing each type.
"""

from __future__ import annotations


class GristmillError(Exception):
    """Base of every error Gristmill raises on purpose."""

    status_code: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class UserError(GristmillError):
    """The caller asked for something that cannot be done as asked."""

    status_code = 400
    code = "bad_request"


class InvalidInputError(UserError):
    """A value, name, path, filter or file is malformed."""

    code = "invalid_input"


class InvalidNameError(InvalidInputError):
    """A name that is empty, too long, or could escape the project folder."""

    code = "invalid_name"


class InvalidPathError(InvalidInputError):
    """A column path that is not in the dataset's schema."""

    code = "invalid_path"


class InvalidFilterError(InvalidInputError):
    """An unknown filter op, a value of the wrong type for its op, or an invalid regex."""

    code = "invalid_filter"


class SourceError(InvalidInputError):
    """A source file that is missing, empty or malformed."""

    code = "invalid_source"


class NotFoundError(UserError):
    """No such dataset, job, concept, embedding, provider or other named thing."""

    status_code = 404
    code = "not_found"


class MissingEmbeddingError(NotFoundError):
    """A search or score needs an embedding of a column that has not been computed.

    Its own code lets an interface offer the fix (the UI's "Compute embedding" button).
    """

    code = "missing_embedding"


class AlreadyExistsError(UserError):
    """The name is already taken and overwriting was not asked for."""

    status_code = 409
    code = "already_exists"


class ConflictError(UserError):
    """Another process (or thread) is writing the same dataset or column right now."""

    status_code = 409
    code = "conflict"


class MissingDependencyError(UserError):
    """An optional Python package or system file is not installed."""

    code = "missing_dependency"


class ReadOnlyError(UserError):
    """A write was attempted where only reads are allowed."""

    status_code = 403
    code = "read_only"


class JobError(GristmillError):
    """Long-running work failed. What it had finished is kept, and a rerun resumes."""

    status_code = 500
    code = "job_failed"


class MapFunctionError(JobError):
    """The user's function raised on a row. ``row_id`` names the row; the cause is chained."""

    code = "map_function_failed"

    def __init__(
        self, message: str, *, row_id: object = None, remote_traceback: str | None = None
    ) -> None:
        super().__init__(message, hint="fix the function and rerun: finished rows are kept")
        self.row_id = row_id
        self.remote_traceback = remote_traceback

    def __str__(self) -> str:
        text = super().__str__()
        if self.remote_traceback:
            text += "\n\nOriginal traceback (from the worker):\n" + self.remote_traceback
        return text


class JobCancelledError(JobError):
    """The job was cancelled. What it had finished is kept, and a rerun resumes."""

    status_code = 409
    code = "job_cancelled"


class ProviderError(GristmillError):
    """An outside service (an LLM or embedding server) failed or could not be reached."""

    status_code = 502
    code = "provider_error"


class ProviderUnreachableError(ProviderError):
    """The service could not be reached or did not answer in time (it refused the connection,
    broke it, or timed out), as opposed to answering with an error: a feature that falls back
    when its LLM step fails still stops here, since the address or the server needs fixing."""


def missing_dependency(package: str, extra: str, purpose: str) -> MissingDependencyError:
    """The one way to say an optional package is missing: what needs it and how to install it."""
    return MissingDependencyError(
        f"{purpose} needs the Python package '{package}', which is not installed",
        hint=f"pip install 'gristmill[{extra}]'",
    )


_MAX_SHOWN = 60


def shown(value: object) -> str:
    """A caller's value as an error message quotes it: its repr, cut short when long.

    Here rather than beside the request models, so quoting a value never imports pydantic.
    """
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."
