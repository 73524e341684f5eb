"""Experiments and their per-model results in the metadata database.

An experiment's settings are one JSON document (``ExperimentConfig``) so that ``rerun`` repeats
exactly what was asked; each model's outcome (status, error, column names, summary statistics)
is one row, written as soon as that model finishes, so a crash keeps the finished models and a
restart shows them. Per-row predictions and scores are dataset columns, not rows here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from gristmill import jobs
from gristmill.errors import NotFoundError
from gristmill.metadata import get_engine, metadata_obj

experiments_table = sa.Table(
    "gristmill_experiments",
    metadata_obj,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("dataset", sa.String(260), nullable=False),
    sa.Column("config", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("job_id", sa.String(32), nullable=True),
    sa.Column("num_rows", sa.Integer, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

experiment_models_table = sa.Table(
    "gristmill_experiment_models",
    metadata_obj,
    sa.Column("experiment", sa.String(128), primary_key=True),
    sa.Column("model", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("prediction_column", sa.String(260), nullable=False),
    sa.Column("metric_columns", sa.JSON, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["experiment"], [experiments_table.c.name], ondelete="CASCADE"),
)


def _now() -> datetime:
    return datetime.now(UTC)


def save_experiment(name: str, dataset: str, config: dict[str, Any], status: str) -> None:
    """Insert or replace the experiment's settings and status."""
    engine = get_engine()
    now = _now()
    with engine.begin() as conn:
        exists = conn.execute(
            sa.select(experiments_table.c.name).where(experiments_table.c.name == name)
        ).first()
        values = {"dataset": dataset, "config": config, "status": status, "updated_at": now}
        if exists:
            conn.execute(
                experiments_table.update().where(experiments_table.c.name == name).values(**values)
            )
        else:
            conn.execute(experiments_table.insert().values(name=name, created_at=now, **values))


def update_experiment(name: str, **values: Any) -> None:
    with get_engine().begin() as conn:
        conn.execute(
            experiments_table.update()
            .where(experiments_table.c.name == name)
            .values(updated_at=_now(), **values)
        )


def clear_model_results(name: str, keep: list[str]) -> None:
    """Drop results of models no longer in the experiment."""
    with get_engine().begin() as conn:
        conn.execute(
            experiment_models_table.delete().where(
                experiment_models_table.c.experiment == name,
                experiment_models_table.c.model.not_in(keep),
            )
        )


def save_model_result(experiment: str, model: str, **values: Any) -> None:
    """Insert or replace one model's outcome."""
    table = experiment_models_table
    where = (table.c.experiment == experiment) & (table.c.model == model)
    with get_engine().begin() as conn:
        conn.execute(table.delete().where(where))
        conn.execute(
            table.insert().values(experiment=experiment, model=model, updated_at=_now(), **values)
        )


def load_experiment_row(name: str) -> dict[str, Any]:
    with get_engine().connect() as conn:
        row = conn.execute(
            sa.select(experiments_table).where(experiments_table.c.name == name)
        ).first()
    if row is None:
        known = ", ".join(list_experiment_names()) or "none yet"
        raise NotFoundError(
            f"no experiment '{name}' in this project",
            hint=f"experiments here: {known}; create one with gm.Experiment(...).run()",
        )
    return _live_status(dict(row._mapping))


def _reload_status(name: str) -> str | None:
    with get_engine().connect() as conn:
        return conn.execute(
            sa.select(experiments_table.c.status).where(experiments_table.c.name == name)
        ).scalar()


def load_model_rows(name: str) -> list[dict[str, Any]]:
    table = experiment_models_table
    with get_engine().connect() as conn:
        rows = conn.execute(
            sa.select(table).where(table.c.experiment == name).order_by(table.c.position)
        ).all()
    return [dict(row._mapping) for row in rows]


def list_experiment_rows() -> list[dict[str, Any]]:
    with get_engine().connect() as conn:
        rows = conn.execute(
            sa.select(experiments_table).order_by(experiments_table.c.created_at)
        ).all()
    return [_live_status(dict(row._mapping)) for row in rows]


def _live_status(row: dict[str, Any]) -> dict[str, Any]:
    """A 'running' experiment whose job died (a killed process) is shown as interrupted."""
    if row["status"] != "running" or not row["job_id"]:
        return row
    try:
        job = jobs.get_job(row["job_id"])
    except NotFoundError:
        return row
    if not job.status.is_finished:
        return row
    # The run records its own end before its job's, so a run that ended between our read of
    # the row and of the job shows its final status on a second read; only a row still
    # "running" under a finished job was left by a process that died.
    status = _reload_status(row["name"])
    if status is not None and status != "running":
        return {**row, "status": status}
    return {**row, "status": "interrupted"}


def list_experiment_names() -> list[str]:
    return [row["name"] for row in list_experiment_rows()]


def delete_experiment_rows(name: str) -> None:
    load_experiment_row(name)
    with get_engine().begin() as conn:
        conn.execute(
            experiment_models_table.delete().where(experiment_models_table.c.experiment == name)
        )
        conn.execute(experiments_table.delete().where(experiments_table.c.name == name))
