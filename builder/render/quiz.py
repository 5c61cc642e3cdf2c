"""Quiz -> accessible HTML form, plus the scoring rule shared with the browser.

The HTML works as a plain form; `assets/quiz.js` enhances it (checking, feedback, state).
Every text from a quiz file goes through `SafeMarkdown` or `html.escape`.
"""

from __future__ import annotations

import hashlib
import html
import math
import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..model import Question, Quiz
from .jsdata import script_json
from .safe_markdown import SafeMarkdown
from .strings import t

FORMAT_VERSION = 1  # of the answer key and of the browser's stored state
JS_STRINGS = ("correct", "incorrect", "answered", "unanswered", "correct_answer", "score",
              "passed", "failed", "attempts", "moved", "reset_confirm", "true", "false")


# The page's answer key is normalised here and the learner's text in the browser, so both
# must be the same function. These are the exact sets of mooc.js (JavaScript's
# /[\u0300-\u036f]/, and /\s/ with trim()): Python's own `\s` and `unicodedata.combining`
# differ (U+FEFF, U+0085, U+001C-U+001F, Hebrew and Arabic marks...).
_ACCENTS = re.compile("[\u0300-\u036f]")
_SPACES = re.compile(
    "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def normalise_answer(text: str) -> str:
    """Fill-in answers are compared with case, accents and spaces folded.

    The browser does the same (`normalise` in mooc.js); tests/scoring_cases.json checks
    that they agree.
    """
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    return _SPACES.sub(" ", text.lower()).strip(" ")


def dom_id(*parts: str) -> str:
    raw = "-".join(parts)
    return "mooc-" + re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-")


def _seeded_order(n: int, *seed: str) -> list[int]:
    """A fixed, reproducible order of n items that is never the correct one (n >= 2)."""
    digest = hashlib.sha256("/".join(seed).encode()).digest()
    order = list(range(n))
    random.Random(digest).shuffle(order)  # noqa: S311 (layout, not security)
    if n > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


@dataclass(frozen=True)
class QuestionResult:
    id: str
    correct: bool
    points: int
    max_points: int


def question_correct(q: Question, response: Any) -> bool:
    """The scoring rule: every scored question is all-or-nothing.

    Responses are what the browser stores: single -> choice index, multiple -> list of
    indices, true-false -> bool, fill-in -> text, ordering -> list of item indices in the
    learner's order, matching -> list giving, for each left item, the index of the right
    item chosen (or None).
    """
    if response is None:
        return False
    if q.type == "single":
        return _is_index(response) and 0 <= response < len(q.choices) and \
            bool(q.choices[response].correct)
    if q.type == "multiple":
        # as in the browser: indices only, each once (a malformed list is wrong, not an error)
        if not _is_index_list(response):
            return False
        return sorted(response) == [i for i, c in enumerate(q.choices) if c.correct]
    if q.type == "true-false":
        return response is q.answer
    if q.type == "fill-in":
        return isinstance(response, str) and normalise_answer(response) in {
            normalise_answer(a) for a in q.answers}
    if q.type in ("ordering", "matching"):
        n = len(q.items) if q.type == "ordering" else len(q.pairs)
        return _is_index_list(response) and response == list(range(n))
    return False


def _is_index(value: Any) -> bool:
    return type(value) is int  # not isinstance: True == 1 in Python, not in the browser


def _is_index_list(value: Any) -> bool:
    return isinstance(value, list) and all(_is_index(v) for v in value)


def score_quiz(quiz: Quiz, responses: dict[str, Any]) -> dict[str, Any]:
    """Score a quiz the way the browser does: points, percent and pass."""
    results = []
    for q in quiz.questions:
        if not q.scored:
            continue
        ok = question_correct(q, responses.get(q.id))
        results.append(QuestionResult(q.id, ok, q.points if ok else 0, q.points))
    score = sum(r.points for r in results)
    max_points = sum(r.max_points for r in results)
    percent = math.floor(100 * score / max_points + 0.5) if max_points else 100
    passed = percent >= quiz.pass_mark  # the percentage shown, and sent to an LMS as raw
    return {"score": score, "max": max_points, "percent": percent, "passed": passed,
            "questions": {r.id: r.correct for r in results}}


def correct_response(q: Question) -> Any:
    """The response that scores full points (used by tests and the SCORM runtime)."""
    if q.type == "single":
        return next(i for i, c in enumerate(q.choices) if c.correct)
    if q.type == "multiple":
        return [i for i, c in enumerate(q.choices) if c.correct]
    if q.type == "true-false":
        return q.answer
    if q.type == "fill-in":
        return q.answers[0]
    if q.type == "ordering":
        return list(range(len(q.items)))
    if q.type == "matching":
        return list(range(len(q.pairs)))
    return "A reflection."


class QuizRenderer:
    """Renders quizzes of one language with that language's interface strings."""

    def __init__(self, strings: dict[str, str], lang: str, course_id: str = "") -> None:
        self.s = strings
        self.lang = lang
        self.course_id = course_id
        self.md = SafeMarkdown()
        self.js_strings = {k: strings.get(k, k) for k in JS_STRINGS}  # in every quiz
        # all that a quiz's HTML depends on besides the quiz (for caches of it)
        self.key = (lang, course_id, tuple(sorted(strings.items())))

    def t(self, key: str, **values: object) -> str:
        return t(self.s, key, **values)

    def render(self, quiz: Quiz) -> str:
        qid = dom_id("quiz", quiz.id)
        scored = [q for q in quiz.questions if q.scored]
        intro = [self.t("questions_count", n=len(quiz.questions))]
        intro.append(self.t("pass_mark", n=quiz.pass_mark) if scored else self.t("not_scored"))
        key = {"v": FORMAT_VERSION, "quiz": quiz.id, "passMark": quiz.pass_mark,
               "shuffle": quiz.shuffle, "questions": [self._key(q) for q in quiz.questions],
               "t": self.js_strings}
        key_json = script_json(key)
        body = "\n".join(self._question(quiz, q, n)
                         for n, q in enumerate(quiz.questions, start=1))
        return (
            f'<section class="mooc-quiz" id="{qid}" data-quiz="{html.escape(quiz.id)}" '
            f'data-lang="{html.escape(self.lang)}" data-course="{html.escape(self.course_id)}" '
            f'aria-labelledby="{qid}-title" data-search-exclude>\n'
            f'<h2 class="mooc-quiz__title" id="{qid}-title">{self.t("quiz")}: '
            f'{html.escape(quiz.title)}</h2>\n'
            f'<p class="mooc-quiz__intro">{" · ".join(intro)}</p>\n'
            f'<script type="application/json" class="mooc-quiz__key">{key_json}</script>\n'
            f'<form class="mooc-quiz__form" novalidate>\n{body}\n'
            f'<div class="mooc-quiz__actions">'
            f'<button type="submit" class="md-button md-button--primary" '
            f'data-action="check">{self.t("check")}</button> '
            f'<button type="button" class="md-button" data-action="retry" hidden>'
            f'{self.t("retry")}</button> '
            f'<button type="button" class="md-button" data-action="reset">'
            f'{self.t("reset")}</button></div>\n'
            f'<div class="mooc-quiz__result" role="status" tabindex="-1"></div>\n'
            f'<noscript><p>{self.t("noscript")}</p></noscript>\n'
            f'</form>\n</section>'
        )

    # The answer key read by quiz.js. Correct answers are in the page: quizzes on a static
    # site are formative, and the authoring guide says so.
    def _key(self, q: Question) -> dict[str, Any]:
        key: dict[str, Any] = {"id": q.id, "type": q.type, "points": q.points}
        if q.type in ("single", "multiple"):
            key["correct"] = [i for i, c in enumerate(q.choices) if c.correct]
            key["n"] = len(q.choices)
        elif q.type == "true-false":
            key["correct"] = q.answer
        elif q.type == "fill-in":
            key["correct"] = sorted({normalise_answer(a) for a in q.answers})
            key["display"] = q.answers[0] if q.answers else ""
        elif q.type == "ordering":
            key["n"] = len(q.items)
        elif q.type == "matching":
            key["n"] = len(q.pairs)
        return key

    def _question(self, quiz: Quiz, q: Question, n: int) -> str:
        base = dom_id("quiz", quiz.id, q.id)
        number = f'<span class="mooc-q__number">{self.t("question", n=n)}</span>'
        prompt_html, inline = self.md.render(q.prompt)
        if inline:
            legend = f'<legend>{number} <span class="mooc-q__prompt">' \
                     f'{prompt_html}</span></legend>'
            described = ""
            prompt_block = ""
        else:
            legend = f"<legend>{number}</legend>"
            described = f' aria-describedby="{base}-prompt"'
            prompt_block = f'<div class="mooc-q__prompt" id="{base}-prompt">' \
                           f'{prompt_html}</div>'
        hint = ""
        if q.type == "multiple":
            hint = f'<p class="mooc-q__hint">{self.t("select_all")}</p>'
        elif q.type == "ordering":
            hint = f'<p class="mooc-q__hint" id="{base}-hint">{self.t("order_hint")}</p>'
        elif q.type == "matching":
            hint = f'<p class="mooc-q__hint">{self.t("match_hint")}</p>'
        elif q.type == "reflection":
            hint = f'<p class="mooc-q__hint">{self.t("reflection_hint")}</p>'
        inputs = getattr(self, "_" + q.type.replace("-", "_"))(quiz, q, base)
        after = ""
        if q.type == "reflection" and q.model_answer:
            after = (f'<div class="mooc-q__explanation" hidden><p><strong>'
                     f'{self.t("model_answer")}</strong></p>{self.md.block(q.model_answer)}'
                     '</div>')
        elif q.explanation:
            after = f'<div class="mooc-q__explanation" hidden>{self.md.block(q.explanation)}' \
                    "</div>"
        return (
            f'<fieldset class="mooc-q mooc-q--{q.type}" id="{base}" '
            f'data-question="{html.escape(q.id)}" data-type="{q.type}"{described}>\n'
            f"{legend}\n{prompt_block}{hint}\n{inputs}\n"
            f'<div class="mooc-q__status" hidden></div>\n{after}\n</fieldset>'
        )

    def _choice_list(self, base: str, kind: str,
                     entries: list[tuple[str, str, str, str]]) -> str:
        """Radio buttons or checkboxes; entries are (id suffix, value, label HTML, feedback)."""
        items = []
        for suffix, value, label, feedback in entries:
            cid = f"{base}-{suffix}"
            fb = ""
            if feedback:
                fb = f'<div class="mooc-choice__feedback" id="{cid}-fb" hidden>' \
                     f"{self.md.block(feedback)}</div>"
            items.append(
                f'<li class="mooc-choice"><input type="{kind}" id="{cid}" '
                f'name="{base}" value="{value}"><label for="{cid}">{label}</label>{fb}</li>')
        return f'<ul class="mooc-choices">{"".join(items)}</ul>'

    def _choices(self, q: Question, base: str, kind: str) -> str:
        return self._choice_list(base, kind, [(f"c{i}", str(i), self.md.inline(c.text),
                                               c.feedback) for i, c in enumerate(q.choices)])

    def _single(self, quiz: Quiz, q: Question, base: str) -> str:
        return self._choices(q, base, "radio")

    def _multiple(self, quiz: Quiz, q: Question, base: str) -> str:
        return self._choices(q, base, "checkbox")

    def _true_false(self, quiz: Quiz, q: Question, base: str) -> str:
        return self._choice_list(base, "radio", [
            ("true", "true", self.t("true"), q.feedback_true),
            ("false", "false", self.t("false"), q.feedback_false)])

    def _fill_in(self, quiz: Quiz, q: Question, base: str) -> str:
        return (f'<p class="mooc-fill"><label for="{base}-input">{self.t("your_answer")}'
                f'</label> <input type="text" id="{base}-input" name="{base}" '
                'autocomplete="off" autocapitalize="off" spellcheck="false"></p>')

    def _ordering(self, quiz: Quiz, q: Question, base: str) -> str:
        order = _seeded_order(len(q.items), quiz.id, q.id)
        items = []
        for i in order:
            text = self.md.inline(q.items[i])
            items.append(
                f'<li class="mooc-order__item" data-item="{i}">'
                f'<span class="mooc-order__text" id="{base}-i{i}">{text}</span>'
                f'<span class="mooc-order__moves">'
                f'<button type="button" class="mooc-order__up" data-move="-1" '
                f'aria-describedby="{base}-i{i}">'
                f'<span aria-hidden="true">↑</span> {self.t("move_up")}</button>'
                f'<button type="button" class="mooc-order__down" data-move="1" '
                f'aria-describedby="{base}-i{i}">'
                f'<span aria-hidden="true">↓</span> {self.t("move_down")}</button>'
                "</span></li>")
        return (f'<ol class="mooc-order" aria-describedby="{base}-hint">{"".join(items)}</ol>'
                f'<div class="mooc-sr-only" aria-live="polite" data-live></div>')

    def _matching(self, quiz: Quiz, q: Question, base: str) -> str:
        order = _seeded_order(len(q.pairs), quiz.id, q.id, "right")
        options = "".join(f'<option value="{j}">{html.escape(q.pairs[j].right)}</option>'
                          for j in order)
        rows = []
        for i, pair in enumerate(q.pairs):
            sid = f"{base}-m{i}"
            rows.append(
                f'<li class="mooc-match__row"><label for="{sid}">{self.md.inline(pair.left)}'
                f'</label><select id="{sid}" name="{sid}" data-left="{i}">'
                f'<option value="">{self.t("choose")}</option>{options}</select></li>')
        return f'<ul class="mooc-match">{"".join(rows)}</ul>'

    def _reflection(self, quiz: Quiz, q: Question, base: str) -> str:
        return (f'<p class="mooc-reflect"><label for="{base}-text">{self.t("your_answer")}'
                f'</label><textarea id="{base}-text" name="{base}" rows="4"></textarea></p>')
