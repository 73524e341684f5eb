"""Reads and writes of user concepts in the metadata DB; every edit bumps the version.

Each edit is one transaction (examples changed and version bumped together), so a concurrent
reader never sees new examples under an old version, which would let a stale model pass as
current.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from gristmill.concepts._schema import MAIN_DRAFT, ConceptExample, ConceptInfo
from gristmill.concepts._tables import concept_examples_table as examples_table
from gristmill.concepts._tables import concepts_table
from gristmill.errors import AlreadyExistsError, NotFoundError
from gristmill.metadata import get_engine


@dataclass(frozen=True)
class NewExample:
    text: str
    label: bool
    source: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _where_concept(table: sa.Table, namespace: str, name: str) -> sa.ColumnElement[bool]:
    return sa.and_(table.c.namespace == namespace, table.c.name == name)


def insert_concept(namespace: str, name: str, type_: str, description: str | None) -> None:
    now = _now()
    try:
        with get_engine().begin() as connection:
            connection.execute(
                sa.insert(concepts_table).values(
                    namespace=namespace,
                    name=name,
                    type=type_,
                    description=description,
                    version=0,
                    created_at=now,
                    updated_at=now,
                )
            )
    except sa.exc.IntegrityError as exc:
        raise AlreadyExistsError(
            f"concept {namespace}/{name} already exists",
            hint="use get_concept() to edit it, or delete_concept() first",
        ) from exc


def read_info(namespace: str, name: str) -> ConceptInfo | None:
    infos = list_infos(namespace, name)
    return infos[0] if infos else None


def list_infos(namespace: str | None = None, name: str | None = None) -> list[ConceptInfo]:
    """Every user concept (or one), with its example counts per label and its drafts."""
    c, e = concepts_table.c, examples_table.c
    query = sa.select(concepts_table)
    if namespace is not None:
        query = query.where(c.namespace == namespace)
    if name is not None:
        query = query.where(c.name == name)
    counts = (
        sa.select(e.namespace, e.name, e.draft, e.label, sa.func.count())
        .group_by(e.namespace, e.name, e.draft, e.label)
        .where(*([e.namespace == namespace] if namespace is not None else []))
        .where(*([e.name == name] if name is not None else []))
    )
    with get_engine().connect() as connection:
        rows = connection.execute(query.order_by(c.namespace, c.name)).all()
        count_rows = connection.execute(counts).all()
    per_concept: dict[tuple[str, str], dict[str, Any]] = {}
    for ns, nm, draft, label, count in count_rows:
        entry = per_concept.setdefault((ns, nm), {"pos": 0, "neg": 0, "drafts": {MAIN_DRAFT}})
        entry["drafts"].add(draft)
        if draft == MAIN_DRAFT:
            entry["pos" if label else "neg"] += int(count)
    infos = []
    for row in rows:
        entry = per_concept.get((row.namespace, row.name), {"pos": 0, "neg": 0, "drafts": set()})
        infos.append(
            ConceptInfo(
                namespace=row.namespace,
                name=row.name,
                type=row.type,
                description=row.description,
                version=row.version,
                num_positive=entry["pos"],
                num_negative=entry["neg"],
                drafts=sorted(entry["drafts"] | {MAIN_DRAFT}, key=lambda d: (d != MAIN_DRAFT, d)),
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
        )
    return infos


def delete_concept(namespace: str, name: str) -> bool:
    with get_engine().begin() as connection:
        # Examples first: SQLite enforces the cascade only with foreign keys on, which a
        # database opened by other software may not have.
        connection.execute(
            sa.delete(examples_table).where(_where_concept(examples_table, namespace, name))
        )
        result = connection.execute(
            sa.delete(concepts_table).where(_where_concept(concepts_table, namespace, name))
        )
    return bool(result.rowcount)


def read_examples(
    namespace: str, name: str, drafts: Iterable[str] | None = None
) -> list[ConceptExample]:
    e = examples_table.c
    query = sa.select(examples_table).where(_where_concept(examples_table, namespace, name))
    if drafts is not None:
        query = query.where(e.draft.in_(list(drafts)))
    with get_engine().connect() as connection:
        rows = connection.execute(query.order_by(e.created_at, e.id)).all()
    return [
        ConceptExample(id=r.id, text=r.text, label=r.label, draft=r.draft, source=r.source)
        for r in rows
    ]


def add_examples(
    namespace: str, name: str, draft: str, new: list[NewExample]
) -> tuple[list[ConceptExample], int]:
    """Insert ``new`` into ``draft``; a text already in that draft gets its label replaced."""
    e = examples_table.c
    now = _now()
    added = [
        ConceptExample(
            id=uuid.uuid4().hex, text=x.text, label=x.label, draft=draft, source=x.source
        )
        for x in new
    ]
    with get_engine().begin() as connection:
        _require(connection, namespace, name)
        texts = sorted({x.text for x in new})
        for start in range(0, len(texts), 500):
            connection.execute(
                sa.delete(examples_table).where(
                    _where_concept(examples_table, namespace, name),
                    e.draft == draft,
                    e.text.in_(texts[start : start + 500]),
                )
            )
        connection.execute(
            sa.insert(examples_table),
            [
                {**x.model_dump(), "namespace": namespace, "name": name, "created_at": now}
                for x in added
            ],
        )
        version = _bump(connection, namespace, name)
    return added, version


def remove_examples(namespace: str, name: str, ids: list[str]) -> tuple[int, int]:
    """Delete examples by id (any draft); returns (how many were removed, new version)."""
    with get_engine().begin() as connection:
        _require(connection, namespace, name)
        removed = 0
        for start in range(0, len(ids), 500):
            result = connection.execute(
                sa.delete(examples_table).where(
                    _where_concept(examples_table, namespace, name),
                    examples_table.c.id.in_(ids[start : start + 500]),
                )
            )
            removed += int(result.rowcount or 0)
        version = (
            _bump(connection, namespace, name) if removed else _version(connection, namespace, name)
        )
    return removed, version


def merge_draft(namespace: str, name: str, draft: str) -> tuple[int, int]:
    """Move a draft's examples into main; a draft example replaces a main one with its text."""
    e = examples_table.c
    with get_engine().begin() as connection:
        _require(connection, namespace, name)
        in_draft = sa.select(e.text).where(
            _where_concept(examples_table, namespace, name), e.draft == draft
        )
        connection.execute(
            sa.delete(examples_table).where(
                _where_concept(examples_table, namespace, name),
                e.draft == MAIN_DRAFT,
                e.text.in_(in_draft.scalar_subquery()),
            )
        )
        moved = connection.execute(
            sa.update(examples_table)
            .where(_where_concept(examples_table, namespace, name), e.draft == draft)
            .values(draft=MAIN_DRAFT)
        )
        version = _bump(connection, namespace, name)
    return int(moved.rowcount or 0), version


def delete_draft(namespace: str, name: str, draft: str) -> tuple[int, int]:
    with get_engine().begin() as connection:
        _require(connection, namespace, name)
        result = connection.execute(
            sa.delete(examples_table).where(
                _where_concept(examples_table, namespace, name), examples_table.c.draft == draft
            )
        )
        version = _bump(connection, namespace, name)
    return int(result.rowcount or 0), version


def _require(connection: sa.Connection, namespace: str, name: str) -> None:
    _version(connection, namespace, name)


def _version(connection: sa.Connection, namespace: str, name: str) -> int:
    version = connection.execute(
        sa.select(concepts_table.c.version).where(_where_concept(concepts_table, namespace, name))
    ).scalar_one_or_none()
    if version is None:
        raise NotFoundError(
            f"concept {namespace}/{name} no longer exists",
            hint="it was deleted; create it again with create_concept()",
        )
    return int(version)


def _bump(connection: sa.Connection, namespace: str, name: str) -> int:
    connection.execute(
        sa.update(concepts_table)
        .where(_where_concept(concepts_table, namespace, name))
        .values(version=concepts_table.c.version + 1, updated_at=_now())
    )
    return _version(connection, namespace, name)
