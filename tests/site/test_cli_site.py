"""``gristmill clio site-from-json`` and ``serve-site`` through Typer's runner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from gristmill.cli import app
from tests.site.synthetic import MARKER, synthetic_site

runner = CliRunner()


def _data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.json"
    path.write_text(synthetic_site(30).model_dump_json())
    return path


def test_site_from_json_writes_a_plain_site(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["clio", "site-from-json", str(_data_file(tmp_path)), str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 30 conversations" in result.output
    assert json.loads((tmp_path / "out" / "site.json").read_text())["encrypted"] is False


def test_the_password_comes_from_the_environment_and_never_the_command_line(
    tmp_path: Path,
) -> None:
    data = _data_file(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["clio", "site-from-json", str(data), str(out), "--password-env", "SITE_PW"],
        env={"SITE_PW": "s3cret"},
    )
    assert result.exit_code == 0, result.output
    assert json.loads((out / "site.json").read_text())["encrypted"] is True
    assert not any(
        MARKER.encode() in path.read_bytes() for path in out.rglob("*") if path.is_file()
    )
    refused = runner.invoke(app, ["clio", "site-from-json", str(data), str(out), "--password", "x"])
    assert refused.exit_code != 0  # no such option


def test_an_unset_variable_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "clio",
            "site-from-json",
            str(_data_file(tmp_path)),
            str(tmp_path / "o"),
            "--password-env",
            "NOPE_UNSET",
        ],
        env={"NOPE_UNSET": ""},
    )
    assert result.exit_code == 2
    assert "NOPE_UNSET is not set" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_file_that_is_not_site_data_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"facets": "nope"}))
    result = runner.invoke(app, ["clio", "site-from-json", str(bad), str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "is not site data" in result.output and "Traceback" not in result.output


def test_serve_site_refuses_a_folder_without_a_site(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clio", "serve-site", str(tmp_path), "--port", "0"])
    assert result.exit_code == 2
    assert "holds no site" in result.output


def test_cli_startup_does_not_load_the_site() -> None:
    code = (
        "import sys, gristmill.cli;"
        "names = ('gristmill.site', 'cryptography', 'uvicorn');"
        "print(' '.join(m for m in names if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert output.split() == []
