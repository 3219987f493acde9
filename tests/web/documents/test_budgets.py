"""PDF rendering within its budgets (issue 17, item 2): the longest allowed message renders within
the time budget; an oversized document is refused with 413 and a message; when every rendering
turn is taken the request waits at most QUEUE_SECONDS and gets 503 with Retry-After; a render
over its hard time limit (settings.PINGJIAN_PDF_TIMEOUT_SECONDS) is stopped, its process killed,
and answered 503 with a message."""

from __future__ import annotations

import re
import signal
import time

import pytest

from pingjian.web.applications.actions import fire
from pingjian.web.core import pdf_process
from pingjian.web.core.text import MESSAGE_MAX_LENGTH
from pingjian.web.documents import render

from ..support import REQUESTED_ON, client_for
from . import slow_writers

# The worst shape of the longest allowed message: one numbered item per line (each becomes a
# paragraph of the letter), and a single unbroken line (one paragraph the layout must break).
LONGEST_MESSAGES = {
    "many items": "\n".join(f"{n}. 補附文件第{n}項影本" for n in range(1, 400))[:MESSAGE_MAX_LENGTH],
    "one long line": "請補附" * (MESSAGE_MAX_LENGTH // 3),
}


@pytest.fixture
def longest_request(supplement_case, clinic_user, office, request):
    fire(supplement_case, "resubmit", actor=clinic_user)
    fire(supplement_case, "start_review", actor=office)
    fire(supplement_case, "request_supplement", actor=office, message=request.param, today=REQUESTED_ON)
    supplement_case.refresh_from_db()
    return supplement_case


@pytest.mark.parametrize(
    "longest_request", LONGEST_MESSAGES.values(), ids=LONGEST_MESSAGES.keys(), indirect=True
)
@pytest.mark.parametrize("document", ["supplement-letter.pdf", "summary.pdf"])
def test_a_letter_with_the_longest_allowed_message_renders_within_its_budget(
    longest_request, office, document
):
    assert len(longest_request.transitions.latest("at").message) <= MESSAGE_MAX_LENGTH
    response = client_for(office).get(f"/documents/applications/{longest_request.pk}/{document}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    millis = int(re.search(r"dur=(\d+)", response["Server-Timing"]).group(1))
    assert millis < render.TIME_BUDGET_SECONDS * 1000, f"{document} took {millis} ms"
    assert len(response.content) < render.MAX_PDF_BYTES


def test_a_document_over_the_size_budget_is_refused_with_413_before_rendering(
    supplement_case, office, monkeypatch
):
    monkeypatch.setattr(render, "MAX_HTML_CHARS", 1000)
    monkeypatch.setattr(render, "_turns", None)  # rendering would fail: the size check comes first
    response = client_for(office).get(f"/documents/applications/{supplement_case.pk}/supplement-letter.pdf")
    assert response.status_code == 413
    assert "文件內容過長" in response.content.decode()


def test_when_every_rendering_turn_is_taken_the_answer_is_503_with_retry_after(
    supplement_case, office, monkeypatch
):
    monkeypatch.setattr(render, "QUEUE_SECONDS", 0.05)
    taken = []
    while render._turns.acquire(blocking=False):
        taken.append(1)
    try:
        response = client_for(office).get(f"/documents/applications/{supplement_case.pk}/summary.pdf")
    finally:
        for _ in taken:
            render._turns.release()
    assert len(taken) == 2  # settings.PINGJIAN_PDF_CONCURRENCY
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "文件產製忙碌中" in response.content.decode()


# --- the hard time limit: the render runs in a child process that is killed when it overruns ----


def test_a_render_over_its_hard_time_limit_is_stopped_and_answered_503_with_a_message(
    supplement_case, office, monkeypatch, settings
):
    monkeypatch.setattr(pdf_process._context, "Process", slow_writers.RecordedProcess)
    monkeypatch.setattr(slow_writers.RecordedProcess, "started", [])
    monkeypatch.setattr(pdf_process, "write_pdf", slow_writers.write_never)
    settings.PINGJIAN_PDF_TIMEOUT_SECONDS = 1.5
    started = time.monotonic()
    response = client_for(office).get(f"/documents/applications/{supplement_case.pk}/summary.pdf")
    assert time.monotonic() - started < 15  # not the writer's minute
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "文件產製逾時（超過 1.5 秒），已中止" in response.content.decode()
    child = slow_writers.RecordedProcess.started[0]
    assert child.exitcode == -signal.SIGKILL  # the render is not left running
    assert render._turns.acquire(blocking=False)  # and its turn was given back
    render._turns.release()
    english = client_for(office)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    letter = english.get(f"/documents/applications/{supplement_case.pk}/supplement-letter.pdf")
    assert letter.status_code == 503 and "took longer than 1.5 seconds" in letter.content.decode()


def test_a_renderer_that_dies_is_an_error_not_a_hang(monkeypatch):
    monkeypatch.setattr(pdf_process, "write_pdf", slow_writers.write_and_die)
    with pytest.raises(RuntimeError, match="exit code 3"):
        pdf_process.write_pdf_within("<p>x</p>", 30)


def test_the_child_process_writes_the_pdf():
    assert pdf_process.write_pdf_within("<p>評鑑</p>", 30).startswith(b"%PDF-")
