"""Quiz -> accessible HTML form. Each question's own part (its hint, inputs, answer key
and what follows a check) comes from its type (builder/questions/).

The HTML works as a plain form; `assets/mooc.js` enhances it with the handlers of
`assets/questions.js` (checking, feedback, state). Every text from a quiz file goes
through `SafeMarkdown` or `html.escape`.
"""

from __future__ import annotations

import html
import re
from typing import Any

from ..common.jsdata import script_json
from ..common.safe_markdown import SafeMarkdown
from ..model import Question, Quiz
from ..questions.base import says
from .strings import t

FORMAT_VERSION = 1  # of the answer key and of the browser's stored state
JS_STRINGS = ("correct", "incorrect", "answered", "unanswered", "correct_answer", "score",
              "passed", "failed", "attempts", "moved", "reset_confirm", "true", "false",
              "question", "attempts_left", "attempts_left_one", "attempts_none_left",
              "answers_after_pass", "answers_after_last", "answers_never", "scn_chosen",
              "scn_restarted", "notes_cleared")


def dom_id(*parts: str) -> str:
    raw = "-".join(parts)
    return "mooc-" + re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-")


class QuizRenderer:
    """Renders quizzes of one language with that language's interface strings."""

    def __init__(self, strings: dict[str, str], lang: str, course_id: str = "", *,
                 site_lang: str | None = None, notice: str = "") -> None:
        """Quizzes in `lang`, with its interface `strings`. On another language's site
        (`site_lang`: a quiz not translated yet) the quiz is marked as in `lang`, keeps
        the site's progress, and shows `notice` (HTML text in the site's language)."""
        self.s = strings
        self.lang = lang
        self.site_lang = site_lang or lang
        self.notice = notice
        self.course_id = course_id
        self.md = SafeMarkdown()
        self.js_strings = {k: strings.get(k, k) for k in JS_STRINGS}  # in every quiz
        # all that a quiz's HTML depends on besides the quiz (for caches of it)
        self.key = (lang, course_id, tuple(sorted(strings.items())), self.site_lang, notice)

    # -- what a question type writes its HTML with (model.QuizMarkup)
    def t(self, key: str, **values: object) -> str:
        return t(self.s, key, **values)

    def inline(self, text: str) -> str:
        return self.md.inline(text)

    def block(self, text: str) -> str:
        return self.md.block(text)

    def render(self, quiz: Quiz) -> str:
        qid = dom_id("quiz", quiz.id)
        scored = quiz.scored_questions
        shown = len(quiz.questions) - len(scored) + quiz.drawn
        intro = [self.t("questions_count", n=shown)]
        intro.append(self.t("pass_mark", n=quiz.pass_mark) if scored else self.t("not_scored"))
        if quiz.attempts:
            intro.append(self.t("attempts_allowed_one" if quiz.attempts == 1
                                else "attempts_allowed", n=quiz.attempts))
        key: dict[str, Any] = {
            "v": FORMAT_VERSION, "quiz": quiz.id, "passMark": quiz.pass_mark,
            "questions": [self._key(quiz, q) for q in quiz.questions], "t": self.js_strings}
        if quiz.draw:
            key["draw"] = quiz.drawn
        if quiz.attempts:
            key["attempts"] = quiz.attempts
        if quiz.show_answers != "always":
            key["showAnswers"] = quiz.show_answers
        key_json = script_json(key)
        body = "\n".join(self._question(quiz, q, n)
                         for n, q in enumerate(quiz.questions, start=1))
        lang, notice = "", ""
        if self.site_lang != self.lang:
            lang = f' lang="{html.escape(self.lang)}"'
            notice = (f'<p class="mooc-quiz__untranslated" lang="{html.escape(self.site_lang)}">'
                      f"{self.notice}</p>\n")
        elif quiz.untranslated:  # some of its texts fall back to the source language
            notice = f'<p class="mooc-quiz__untranslated">{self.notice}</p>\n' \
                if self.notice else ""
        return (
            f'<section class="mooc-quiz"{lang} id="{qid}" data-quiz="{html.escape(quiz.id)}" '
            f'data-lang="{html.escape(self.site_lang)}" '
            f'data-course="{html.escape(self.course_id)}" '
            f'aria-labelledby="{qid}-title" data-search-exclude>\n'
            f'<h2 class="mooc-quiz__title" id="{qid}-title">{self.t("quiz")}: '
            f'{html.escape(quiz.title)}</h2>\n{notice}'
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
            f'{self._notes(quiz, qid)}'
            f'<noscript><p>{self.t("noscript")}</p></noscript>\n'
            f'</form>\n</section>'
        )

    def _notes(self, quiz: Quiz, qid: str) -> str:
        """"Clear my notes" for a quiz with reflections: the text a learner typed stays in
        this browser (never in an LMS), so on a shared computer they can erase it. Shown by
        mooc.js (nothing is kept without it); a confirmation in the page, the result in a
        live region."""
        if not any(q.type == "reflection" for q in quiz.questions):
            return ""
        return (f'<div class="mooc-quiz__notes" data-notes hidden>'
                f'<p><button type="button" class="md-button" data-action="clear-notes" '
                f'aria-describedby="{qid}-notes-hint" aria-expanded="false" '
                f'aria-controls="{qid}-notes-confirm">{self.t("notes_clear")}</button> '
                f'<span class="mooc-quiz__notes-hint" id="{qid}-notes-hint">'
                f'{self.t("notes_clear_hint")}</span></p>'
                f'<div class="mooc-quiz__notes-confirm" id="{qid}-notes-confirm" role="group" '
                f'data-notes-confirm hidden aria-labelledby="{qid}-notes-ask">'
                f'<p id="{qid}-notes-ask">'
                f'{self.t("notes_confirm")}</p><p>'
                f'<button type="button" class="md-button md-button--primary" '
                f'data-action="clear-notes-yes">{self.t("notes_confirm_yes")}</button> '
                f'<button type="button" class="md-button" data-action="clear-notes-no">'
                f'{self.t("notes_confirm_no")}</button></p></div>'
                f'<p class="mooc-quiz__notes-status" aria-live="polite" data-notes-status></p>'
                f'</div>\n')

    # The answer key read by mooc.js. Correct answers are in the page: quizzes on a static
    # site are formative, and the authoring guide says so.
    def _key(self, quiz: Quiz, q: Question) -> dict[str, Any]:
        out = {"id": q.id, "type": q.type, "points": q.points, **q.unit.key()}
        if not q.scored:
            out["scored"] = False
        if quiz.shuffled(q):
            out["shuffle"] = True
        return out

    def _hint(self, q: Question, base: str) -> str:
        """The author's hint: a button shows it in a live region (read out when shown)."""
        if not q.hint:
            return ""
        return (f'<div class="mooc-q__tip">'
                f'<button type="button" class="mooc-q__tip-button" data-action="hint" '
                f'aria-expanded="false" aria-controls="{base}-tip">{self.t("hint")}</button>'
                f'<div class="mooc-q__tip-text" id="{base}-tip" role="status"></div>'
                f'<template class="mooc-q__tip-source"><p class="mooc-q__tip-label">'
                f'{self.t("hint_label")}</p>{self.block(q.hint)}</template></div>')

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
        # the course's own wording of the hint, in the quiz's language, is not said twice
        hint_key: str = getattr(q.unit, "hint_key", "")  # QuestionType's, when it has one
        hint = "" if hint_key and says(q.prompt, self.s.get(hint_key, "")) \
            else q.unit.hint(self, base)
        inputs = q.unit.inputs(self, base, (quiz.id, q.id))
        after = q.unit.after(self, q.explanation)
        return (
            f'<fieldset class="mooc-q mooc-q--{q.type}" id="{base}" '
            f'data-question="{html.escape(q.id)}" data-type="{q.type}"{described}>\n'
            f"{legend}\n{prompt_block}{hint}\n{self._hint(q, base)}{inputs}\n"
            f'<div class="mooc-q__status" hidden></div>\n{after}\n</fieldset>'
        )
