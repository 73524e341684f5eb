"""The concept tables in the metadata database.

Concepts live in the metadata DB (not JSON files), like every registry of the project, because
the server and several processes edit concepts at once, and SQL transactions give atomic,
concurrent edits (add examples + bump the version in one commit) on SQLite and PostgreSQL alike.
Trained models, which are written once and read often, are files (see ``_model_store``).
"""

from __future__ import annotations

import sqlalchemy as sa

from gristmill.metadata import metadata_obj

concepts_table = sa.Table(
    "gristmill_concepts",
    metadata_obj,
    sa.Column("namespace", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

concept_examples_table = sa.Table(
    "gristmill_concept_examples",
    metadata_obj,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("namespace", sa.String(128), nullable=False),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("draft", sa.String(128), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("label", sa.Boolean, nullable=False),
    sa.Column("source", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
        ["namespace", "name"],
        [concepts_table.c.namespace, concepts_table.c.name],
        ondelete="CASCADE",
    ),
    sa.Index(None, "namespace", "name", "draft"),
)

# Embeddings of example texts, so retraining after an edit embeds only the new examples.
# Keyed by hashes: model ids and texts can be long, and a fixed-size key indexes well.
concept_embedding_cache_table = sa.Table(
    "gristmill_concept_embedding_cache",
    metadata_obj,
    sa.Column("model_key", sa.String(64), primary_key=True),
    sa.Column("text_key", sa.String(64), primary_key=True),
    sa.Column("vector", sa.LargeBinary, nullable=False),
)
