"""``gristmill projection compute``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import gristmill as gm
from gristmill.cli import app

runner = CliRunner()


def test_projection_compute_command(sms: gm.Dataset) -> None:
    missing = runner.invoke(app, ["projection", "compute", "local/sms", "text"])
    assert missing.exit_code == 2 and "compute_embedding" in missing.output
    assert "Traceback" not in missing.output
    sms.compute_embedding("bow", "text", show_progress=False)
    done = runner.invoke(app, ["projection", "compute", "local/sms", "text"])
    assert done.exit_code == 0, done.output
    assert "Projected 200 rows of 'text' (bow) -> text__bow__projection" in done.output
    again = runner.invoke(
        app, ["projection", "compute", "local/sms", "text", "-e", "bow", "--json"]
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout.strip().splitlines()[-1])["num_points"] == 200
    too_few = runner.invoke(
        app, ["projection", "compute", "local/sms", "text", "--max-points", "5"]
    )
    assert too_few.exit_code == 2 and "--max-points must be" in too_few.output
