"""The datasets page: row counts, loading from a server path and from an upload, auth."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

import gristmill as gm
from gristmill.server import ServerHandle
from tests.fixtures import FIXTURES, SMS_ROWS, SMS_SPAM, TASK_ROWS, TASKS
from tests.ui.conftest import VIEWPORT, load_jsonl, screenshot, wait_for_count


@pytest.fixture
def server(project_dir: Path) -> Iterator[ServerHandle]:
    """A server that may load the test data files by path (the others only take uploads)."""
    handle = gm.start_server(port=0, data_dirs=[FIXTURES])
    yield handle
    handle.stop()


def test_load_a_dataset_from_a_server_path(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(server.url)
    expect(page.locator(".datasets-table tbody tr")).to_have_count(1)
    expect(page.locator(".datasets-table")).to_contain_text(str(TASK_ROWS))

    form = page.get_by_role("form", name="Load a dataset")
    form.get_by_label("File on the server").fill(str(SMS_SPAM))
    expect(form.get_by_label("Name", exact=True)).to_have_value("sms_spam")
    form.get_by_label("Name", exact=True).fill("sms")
    form.get_by_role("button", name="Load").click()

    # The finished load opens the new dataset; the nav lists it with its row count.
    expect(page).to_have_url(f"{server.url}/datasets/local/sms")
    wait_for_count(page, SMS_ROWS)
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(f"local/sms{SMS_ROWS}")
    page.goto(server.url)
    screenshot(page, "datasets")


def test_a_load_that_ends_before_its_request_answers_still_opens_the_dataset(
    page: Page, server: ServerHandle
) -> None:
    from gristmill.jobs import list_jobs

    def answer_after_the_load_ended(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()
        deadline = time.monotonic() + 60
        while not list_jobs(dataset="local/seed", status="completed"):
            assert time.monotonic() < deadline, "the load did not finish"
            time.sleep(0.05)
        # Let the job's end reach the page through its event stream first.
        time.sleep(1.0)
        route.fulfill(response=response)

    page.route(f"{server.url}/api/v1/datasets", answer_after_the_load_ended)
    page.goto(server.url)
    form = page.get_by_role("form", name="Load a dataset")
    form.get_by_label("File on the server").fill(str(TASKS))
    form.get_by_label("Name", exact=True).fill("seed")
    form.get_by_role("button", name="Load").click()
    expect(page).to_have_url(f"{server.url}/datasets/local/seed")
    wait_for_count(page, TASK_ROWS)


def test_a_bad_path_shows_the_servers_error(page: Page, server: ServerHandle) -> None:
    page.goto(server.url)
    form = page.get_by_role("form", name="Load a dataset")
    form.get_by_label("File on the server").fill("/nowhere/missing.jsonl")
    form.get_by_label("Name", exact=True).fill("missing")
    form.get_by_role("button", name="Load").click()
    expect(form.locator(".error-box")).to_contain_text("not inside a data folder")


def test_the_load_panel_names_the_data_folders(page: Page, server: ServerHandle) -> None:
    page.goto(server.url)
    form = page.get_by_role("form", name="Load a dataset")
    expect(form.get_by_test_id("data-dirs")).to_have_text(f"Data folders: {FIXTURES}")
    expect(form.get_by_label("File on the server")).to_have_attribute(
        "placeholder", f"{FIXTURES}/train.jsonl"
    )


def test_without_data_folders_the_panel_says_to_upload(
    browser: Browser, project_dir: Path, tmp_path: Path
) -> None:
    with gm.start_server(port=0) as handle:
        context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(handle.url)
        form = page.get_by_role("form", name="Load a dataset")
        expect(form.get_by_test_id("no-data-dirs")).to_contain_text(
            "This server loads no files from its disk"
        )
        expect(form.get_by_label("File on the server")).to_have_count(0)
        # The upload still works.
        upload = tmp_path / "rows.jsonl"
        upload.write_text('{"text": "a"}\n{"text": "b"}\n')
        form.get_by_role("tab", name="Upload a file").click()
        form.get_by_label("CSV, JSON, JSONL or Parquet file").set_input_files(str(upload))
        form.get_by_role("button", name="Load").click()
        expect(page).to_have_url(f"{handle.url}/datasets/local/rows")
        wait_for_count(page, 2)
        context.close()


def test_upload_a_csv_file(page: Page, server: ServerHandle, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in SMS_SPAM.read_text().splitlines()[:60]]
    upload = tmp_path / "sms.csv"
    with upload.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["Label", "SMS"])
        writer.writeheader()
        writer.writerows(rows)

    page.goto(server.url)
    form = page.get_by_role("form", name="Load a dataset")
    form.get_by_role("tab", name="Upload a file").click()
    form.get_by_label("CSV, JSON, JSONL or Parquet file").set_input_files(str(upload))
    expect(form.get_by_label("Name", exact=True)).to_have_value("sms")
    form.get_by_role("button", name="Load").click()
    expect(page).to_have_url(f"{server.url}/datasets/local/sms")
    wait_for_count(page, 60)
    page.locator(".schema-row[data-path='Label']").click()
    expect(page.locator(".histogram .bar-row[data-value='ham']")).to_be_visible()


def test_a_token_protected_server_asks_for_the_token_once(
    browser: Browser, project_dir: Path
) -> None:
    load_jsonl(TASKS, "seed")
    with gm.start_server(port=0, auth_token="open-sesame") as handle:
        context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(handle.url)
        dialog = page.get_by_role("dialog", name="Auth token")
        dialog.get_by_placeholder("Auth token").fill("wrong")
        dialog.get_by_role("button", name="Continue").click()
        expect(dialog).to_contain_text("That token was refused")
        dialog.get_by_placeholder("Auth token").fill("open-sesame")
        dialog.get_by_role("button", name="Continue").click()
        expect(dialog).to_be_hidden()
        expect(page.locator(".datasets-table")).to_contain_text("seed")
        # The token is kept for the tab: a reload does not ask again.
        page.reload()
        expect(page.locator(".datasets-table")).to_contain_text("seed")
        expect(page.get_by_role("dialog", name="Auth token")).to_have_count(0)
        assert page.evaluate("sessionStorage.getItem('gristmill.token')") == "open-sesame"
        context.close()
