"""Small frictions of daily use (issue 14, item 4): sensible defaults, and messages in the words
a person used (a signal's name as people say it, '1 row'), and forms that offer what exists."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from gristmill.server import ServerHandle
from tests.fixtures import DIALOGUES, SMS_SPAM, TASK_ROWS, TASKS
from tests.ui.conftest import load_jsonl, wait_for_count


def _open_enrich(page: Page, tab: str) -> None:
    page.get_by_role("button", name="Enrich").click()
    page.get_by_role("menuitem", name=f"{tab}…").click()


def test_the_enrich_dialog_starts_on_the_first_field_of_prose(
    page: Page, server: ServerHandle
) -> None:
    # tasks: 'id' and 'name' come first ('task_0', 'ultrafeedback_206'); 'instruction' is text.
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    wait_for_count(page, TASK_ROWS)
    _open_enrich(page, "Signal")
    dialog = page.get_by_role("dialog", name="Enrich this dataset")
    expect(dialog.get_by_label("Text column")).to_have_value("instruction")
    dialog.get_by_role("button", name="Cancel").click()

    # sms_spam: the class label 'Label' ('ham', 'spam') comes before the message.
    load_jsonl(SMS_SPAM, "sms")
    page.goto(f"{server.url}/datasets/local/sms")
    expect(page.locator(".row-card[data-rowid]").first).to_be_visible()
    _open_enrich(page, "Embedding")
    dialog = page.get_by_role("dialog", name="Enrich this dataset")
    expect(dialog.get_by_label("Text column")).to_have_value("SMS")


def test_a_signal_reads_as_people_name_it_in_toasts_and_activity(
    page: Page, server: ServerHandle
) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    wait_for_count(page, TASK_ROWS)
    _open_enrich(page, "Signal")
    dialog = page.get_by_role("dialog", name="Enrich this dataset")
    # The signal list shows display names; the request still sends the registered name.
    expect(dialog.get_by_label("Signal").locator("option[value='text_statistics']")).to_have_text(
        "Text statistics"
    )
    dialog.get_by_label("Signal").select_option("text_statistics")
    dialog.get_by_role("button", name="Start job").click()
    expect(dialog).to_be_hidden()

    toasts = page.locator(".toast")
    expect(toasts.filter(has_text="Finished: Text statistics of instruction")).to_be_visible(
        timeout=60_000
    )
    activity = page.get_by_role("region", name="Jobs").locator(".job")
    job = activity.filter(has_text="Text statistics of instruction")
    expect(job).to_have_attribute("data-status", "completed")
    for shown in [*toasts.all_inner_texts(), *activity.all_inner_texts()]:
        assert "@v1" not in shown and "[local/" not in shown, shown


def test_labelling_one_row_says_one_row(page: Page, server: ServerHandle) -> None:
    load_jsonl(TASKS, "seed")
    page.goto(f"{server.url}/datasets/local/seed")
    wait_for_count(page, TASK_ROWS)
    page.get_by_label("Select row 1", exact=True).check()
    page.get_by_role("button", name="Label 1 selected").click()
    page.get_by_role("menuitem", name="bad").click()
    expect(page.locator(".toast")).to_have_text("Added label bad to 1 row")


def test_the_experiment_form_offers_the_datasets_columns_and_the_configured_models(
    page: Page, server: ServerHandle, project_dir: Path
) -> None:
    load_jsonl(DIALOGUES, "dialogues")
    load_jsonl(SMS_SPAM, "sms")
    (project_dir / "gristmill.yml").write_text(
        "models:\n  stand-in: {provider: fake}\n  second-opinion: {provider: fake}\n",
        encoding="utf-8",
    )
    page.goto(f"{server.url}/experiments")
    form = page.get_by_role("form", name="New experiment")
    form.get_by_label("Dataset").select_option("local/dialogues")

    # The input is chosen among the dataset's text fields; the first prose one is the default
    # ('meeting' holds ids such as 'test_0').
    input_column = form.get_by_label("Input column")
    expect(input_column).to_have_value("query")
    text_fields = ["meeting", "query", "dialogue", "summary", "topic_summary", "meeting_summary"]
    expect(input_column.locator("option")).to_have_text(text_fields)
    input_column.select_option("dialogue")
    references = form.get_by_role("group", name="Reference columns")
    expect(references.get_by_role("checkbox")).to_have_count(len(text_fields) - 1)
    expect(references.get_by_label("dialogue", exact=True)).to_have_count(0)
    references.get_by_label("summary", exact=True).check()

    # The models are those the server names, with room for another address it allows.
    offered = page.request.get(f"{server.url}/api/v1/models").json()["llms"]
    assert {"stand-in", "second-opinion"} <= {m["name"] for m in offered}
    models = form.get_by_role("group", name="Models")
    expect(models.get_by_role("checkbox")).to_have_count(len(offered))
    for model in offered:
        expect(models.locator(f"input[type=checkbox][value='{model['name']}']")).to_be_visible()
    expect(models.get_by_label("Other model")).to_be_editable()

    # Another dataset brings its own columns.
    form.get_by_label("Dataset").select_option("local/sms")
    expect(input_column).to_have_value("SMS")
    expect(input_column.locator("option")).to_have_text(["Label", "SMS"])
    expect(references.get_by_role("checkbox")).to_have_count(1)
    expect(references.get_by_label("Label")).not_to_be_checked()
