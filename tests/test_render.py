"""Quiz rendering: golden HTML a reviewer can read, and escaping of hostile text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.common.safe_markdown import SafeMarkdown
from builder.errors import Problem
from builder.loaders import quiz_from_text
from builder.model import Quiz
from builder.questions.scoring import correct_response, normalise_answer, score_quiz
from builder.render import QuizRenderer, load_strings

from .conftest import FIXTURES

GOLDEN = Path(__file__).parent / "golden"


def load(text: str, lang: str = "en") -> Quiz:
    problems: list[Problem] = []
    quiz = quiz_from_text(text, "q.yml", "t/q", lang, 70, problems)
    assert not [p for p in problems if p.severity == "error"], problems
    assert quiz is not None
    return quiz


def pretty(html: str) -> str:
    """One tag per line, so a golden diff is readable."""
    return re.sub(r"(<(?:fieldset|legend|ul|li|ol|p|div|section|form|h2|script|select|"
                  r"noscript|/fieldset|/ul|/ol|/form|/section)[ >])", r"\n\1", html).strip() + "\n"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_golden_all_types(lang: str, update_golden: bool) -> None:
    text = (FIXTURES / "mini/quizzes/en/basics/all-types.yml").read_text(encoding="utf-8")
    html = pretty(QuizRenderer(load_strings(lang), lang, "mini").render(load(text, lang)))
    golden = GOLDEN / f"all-types.{lang}.html"
    if update_golden:
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden"
    assert html == golden.read_text(encoding="utf-8"), (
        "rendering changed: review, then run pytest --update-golden")


def test_every_type_renders_labelled_controls() -> None:
    text = (FIXTURES / "mini/quizzes/en/basics/all-types.yml").read_text(encoding="utf-8")
    html = QuizRenderer(load_strings("en"), "en").render(load(text))
    assert html.count("<fieldset") == 7
    assert html.count("<legend>") == 7
    for input_id in re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, f"input {input_id} has no label"


HOSTILE = """
title: "<script>alert(1)</script>"
questions:
  - type: single
    prompt: "<img src=x onerror=alert(1)> and [link](javascript:alert(1))"
    choices:
      - text: "<b onmouseover=alert(1)>bold</b>"
        correct: true
        feedback: "<script>window.pwned = 1</script>"
      - text: "</script><script>alert(2)</script>"
  - type: fill-in
    prompt: Answer
    answers: ["</script><script>alert(3)</script>"]
"""


def test_raw_html_in_quiz_text_is_escaped() -> None:
    html = QuizRenderer(load_strings("en"), "en").render(load(HOSTILE))
    assert "<script>alert" not in html
    assert "<img" not in html
    assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html  # shown as text
    # the answer key cannot close its <script> element
    key = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert key is not None
    assert "<" not in key.group(1)


@pytest.mark.parametrize(("given", "expected"), [
    ("  Balint ", "balint"), ("BÁLINT", "balint"), ("pair  aidance", "pair aidance"),
    ("Médiateur", "mediateur"), ("\tTab\n", "tab"),
])
def test_normalise_answer(given: str, expected: str) -> None:
    assert normalise_answer(given) == expected


def test_correct_responses_score_full_marks() -> None:
    text = (FIXTURES / "mini/quizzes/en/basics/all-types.yml").read_text(encoding="utf-8")
    quiz = load(text)
    result = score_quiz(quiz, {q.id: correct_response(q) for q in quiz.questions})
    assert result == {"score": 6, "max": 6, "percent": 100, "passed": True,
                      "questions": dict.fromkeys(
                          ["capital", "colours", "sky", "balint", "steps", "pairs"], True)}
    empty = score_quiz(quiz, {})
    assert (empty["score"], empty["passed"]) == (0, False)


def test_deferred_quizzes_come_back_where_they_were() -> None:
    import markdown

    from builder.render.markdown_ext import MoocExtension

    html = '<section class="mooc-quiz">the quiz &amp; its answers</section>'
    source = "# Title\n\nBefore.\n\n::: quiz q\n\nAfter.\n\n<!--mooc-defer-0000-0-->\n"

    def convert(ext: MoocExtension) -> str:
        return markdown.Markdown(extensions=[ext]).convert(source)

    plain = convert(MoocExtension(lambda q: html if q == "q" else None, {}))
    ext = MoocExtension(lambda q: html if q == "q" else None, {}, defer=True)
    deferred = convert(ext)
    assert html not in deferred and "<!--mooc-defer-" in deferred
    assert ext.fill(deferred) == plain  # the same page, the quiz in the same place
    assert not ext.deferred  # filled once, then forgotten
    assert plain.index("Before") < plain.index(html) < plain.index("After")
    # a token typed by a trainer is not one of the build's: it stays a comment
    assert "<!--mooc-defer-0000-0-->" in ext.fill(deferred)


_TEXT_PIECES = st.sampled_from(
    [*"abc xyz.,;:!?()'\"-+#|~{}=/%$@^09", "1. ", "2) ", "- ", "+ ", "# ", "> ", "  ", "é",
     "--", "---", "http://x.y", "a@b.c", "\u00a0", "\u2028", "*", "_", "`", "[", "]", "&",
     "<", "\t", "\n"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_TEXT_PIECES, max_size=12).map("".join))
def test_plain_text_fast_path_renders_as_markdown_would(text: str) -> None:
    """Quiz text without Markdown syntax skips the converter: the result must be the same."""
    sm = SafeMarkdown()
    sm._md.reset()
    assert sm.block(text) == sm._md.convert(text)


@pytest.mark.parametrize("line", ["::: quiz q", "   ::: quiz q  ", "    ::: quiz q",
                                  "\t::: quiz q", "::: quiz q\t"])
def test_the_checks_find_a_quiz_marker_exactly_where_the_page_shows_one(line: str) -> None:
    import markdown

    from builder.loaders import scan_body
    from builder.render.markdown_ext import MoocExtension

    shown = "QUIZ" in markdown.Markdown(
        extensions=[MoocExtension(lambda q: "<p>QUIZ</p>", {})]).convert(f"Text.\n\n{line}\n")
    markers, _, _ = scan_body(f"Text.\n\n{line}\n", 1, set())
    assert bool(markers) == shown


def test_script_json_cannot_end_a_script_and_reads_back_the_same() -> None:
    import json

    from builder.common.jsdata import script_json

    value = {"t": "</script><b>&amp;\u2028\u2029é"}
    text = script_json(value)
    assert not any(c in text for c in "<>&\u2028\u2029")
    assert json.loads(text) == value
