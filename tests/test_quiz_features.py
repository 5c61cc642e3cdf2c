"""Quizzes that measure learning (issue 15), the Python side: the scenario unit and the
methods other formats use, draws and attempts in the model and the packages, the
assessment lint's figures, the interface strings, the guide's examples, goldens.

The browser side is tests/browser/test_quiz_features.py; the mistakes a trainer can make
are corpus cases (tests/corpus/scenario-*, draw-*, objective-*, show-answers-*, lint-*).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from builder.errors import Problem
from builder.export.plan import LEARNER, SUSPEND_FORMAT, plan_package, suspend_bound
from builder.export.scorm12 import Scorm12Exporter
from builder.export.scorm2004 import Scorm2004Exporter
from builder.loaders import quiz_from_text
from builder.model import Quiz
from builder.pipeline import Settings, load_checked
from builder.questions.scenario import Scenario
from builder.questions.scoring import correct_response, score_quiz
from builder.render import QuizRenderer, load_strings
from builder.render.quiz import JS_STRINGS
from builder.render.strings import STRINGS_DIR
from builder.validate import assessment_lint, guess_percent

from .conftest import FIXTURES
from .test_render import GOLDEN, pretty

MEASURE = FIXTURES / "measure"
GUIDE = Path(__file__).parent.parent / "builder/docs/authoring.md"


def load(text: str, name: str = "q") -> tuple[Quiz, list[Problem]]:
    problems: list[Problem] = []
    quiz = quiz_from_text(text, f"{name}.yml", f"t/{name}", "en", 70, problems)
    assert quiz is not None
    return quiz, problems


def fixture_quiz(name: str, lang: str = "en") -> Quiz:
    quiz, problems = load((MEASURE / f"quizzes/{lang}/m/{name}.yml").read_text(encoding="utf-8"),
                          name)
    assert not problems, problems
    return quiz


def talk() -> Scenario:
    unit = fixture_quiz("talk").questions[0].unit
    assert isinstance(unit, Scenario)
    return unit


# ---------------------------------------------------------------- the scenario unit

def test_a_scenario_knows_its_paths_and_judges_a_walk() -> None:
    s = talk()
    assert [(p, end.id) for p, end in s.paths()] == [
        ((1,), "closed"), ((0, 1), "broken"), ((0, 0, 0), "together"), ((0, 0, 1), "alone")]
    assert s.best_paths() == [(0, 0, 0)]
    assert s.correct([0, 0, 0]) and not s.correct([0, 0, 1]) and not s.correct([0, 0])
    assert not s.correct([0, 0, 0, 0]) and not s.correct([2]) and not s.correct("000")
    steps, end = s.walk([0, 1])
    assert [st.id for st in steps] == ["open", "listen"] and end is not None
    assert end.outcome == "poor"
    assert correct_response(fixture_quiz("talk").questions[0]) == [0, 0, 0]
    # choosing at random: 1/2 at each of three steps
    assert s.guess_chance() == pytest.approx(1 / 8)


def test_a_scenario_reports_one_sequencing_interaction_with_distinct_choice_names() -> None:
    s = talk()
    # choices numbered across the steps: open 0-1, listen 2-3, plan 4-5
    assert s.choice_ids((0, 0, 0)) == [0, 2, 4]
    assert s.correct_patterns(Scorm12Exporter(), "en") == ["a,c,e"]
    assert s.correct_patterns(Scorm2004Exporter(), "fr") == ["a[,]c[,]e"]
    assert s.interaction_type(Scorm12Exporter()) == "sequencing"
    assert s.longest_response(Scorm2004Exporter(), "en") == "a[,]a[,]a"
    assert s.response_bound() == 3  # one base-36 digit per choice in suspend_data
    assert s.scorm_key() == {"steps": [[1, -3], [2, -4], [-1, -2]],
                             "endings": ["best", "ok", "poor", "poor"]}


def test_a_scenario_as_numbered_sections_for_print() -> None:
    sections = talk().sections()
    assert [(x.number, x.id, x.outcome) for x in sections] == [
        (1, "open", None), (2, "listen", None), (3, "plan", None), (4, "together", "best"),
        (5, "alone", "ok"), (6, "closed", "poor"), (7, "broken", "poor")]
    assert sections[0].choices[0] == ("Ask how it has been since then",
                                      "You open the conversation.", 2)
    assert [c[2] for c in sections[1].choices] == [3, 7]
    assert not Scenario.PORTABLE


def test_a_practice_scenario_is_not_scored() -> None:
    text = (MEASURE / "quizzes/en/m/talk.yml").read_text(encoding="utf-8")
    quiz, problems = load(text.replace("    type: scenario\n",
                                       "    type: scenario\n    scored: false\n"))
    assert not problems
    q = quiz.questions[0]
    assert not q.scored and q.points == 0
    assert quiz.max_points == 2
    key = QuizRenderer(load_strings("en"), "en").render(quiz)
    assert '"id":"sam","type":"scenario","points":0,' in key and '"scored":false' in key


# ---------------------------------------------------------------- draws, attempts, shuffle

def test_a_drawn_quiz_is_out_of_the_drawn_questions() -> None:
    quiz = fixture_quiz("pool")
    assert (quiz.draw, quiz.drawn, quiz.max_points) == (3, 3, 3)
    everything = {q.id: correct_response(q) for q in quiz.questions}
    assert score_quiz(quiz, everything, shown={"sun", "moon", "snow"})["max"] == 3
    project, _ = load_checked(Settings.at(MEASURE), "en")
    assert project.editions["en"].quizzes["m/pool"].max_points == 3


def test_quiz_settings_reach_the_page(tmp_path: Path) -> None:
    html = QuizRenderer(load_strings("en"), "en").render(fixture_quiz("limited"))
    assert '"attempts":2' in html and '"showAnswers":"after_last_attempt"' in html
    assert "3 questions · Pass mark: 70% · 2 attempts allowed" in html
    html = QuizRenderer(load_strings("en"), "en").render(fixture_quiz("pool"))
    assert '"draw":3' in html and "3 questions · Pass mark: 60%" in html
    html = QuizRenderer(load_strings("en"), "en").render(fixture_quiz("shuffled"))
    key = re.search(r'class="mooc-quiz__key">(.*?)</script>', html)
    assert key is not None
    assert key.group(1).count('"shuffle":true') == 5  # `shuffle: false` on one question


def test_packages_carry_the_draw_and_bound_the_learners_key(tmp_path: Path) -> None:
    project, _ = load_checked(Settings.at(MEASURE), "en")
    site = tmp_path / "site"
    for page in project.editions["en"].pages.values():
        if page.is_module:  # the quiz markup plan_package reads from the built pages
            out = site / f"{page.id}.html"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(f'<section class="mooc-quiz" data-quiz="{page.quiz}">',
                           encoding="utf-8")
    (sco,) = plan_package(project, "en", site).scos
    pool = next(q for q in sco.quizzes if q.id == "m/pool")
    assert (pool.draw, pool.max_points) == (3, 3)
    assert SUSPEND_FORMAT == "M2" and LEARNER == 6
    # the bound counts the format, the learner's key and every quiz's longest state
    assert suspend_bound(sco) == len("M2|") + 6 + 1 + 4 * 4 + 1 + sum(
        len(f"{q.fp}zz.") + len(str(q.max_points)) + 3
        + sum(p.unit.response_bound() for p in q.questions) + len(q.questions) - 1
        for q in sco.quizzes) + len(sco.quizzes) - 1


# ---------------------------------------------------------------- the assessment lint

def test_the_expected_score_of_random_answers() -> None:
    assert guess_percent(fixture_quiz("pool")) == pytest.approx(50)
    # single of 4 (1/4) x4, multiple of 4 (1/15) x2
    assert guess_percent(fixture_quiz("shuffled")) == pytest.approx(
        100 * (4 / 4 + 2 / 15) / 6)
    # single of 3, multiple of 3 (1/7), fill-in (0)
    assert guess_percent(fixture_quiz("limited")) == pytest.approx(100 * (1 / 3 + 1 / 7) / 3)
    # the scenario (1/8), a true-false (1/2), a fill-in (0)
    assert guess_percent(fixture_quiz("talk")) == pytest.approx(100 * (1 / 8 + 1 / 2) / 3)


def test_the_fixture_course_is_lint_clean_and_the_lint_can_fail() -> None:
    project, warnings = load_checked(Settings.at(MEASURE))
    assert not warnings and not assessment_lint(project)
    text = (MEASURE / "quizzes/en/m/pool.yml").read_text(encoding="utf-8")
    quiz, _ = load(text.replace("pass_mark: 60", "pass_mark: 50"))
    assert guess_percent(quiz) >= quiz.pass_mark


# ---------------------------------------------------------------- strings, guide, goldens

def test_every_new_string_is_in_every_language() -> None:
    new = {*JS_STRINGS, "hint", "hint_label", "attempts_allowed", "attempts_allowed_one",
           "scn_hint", "scn_best", "scn_ok", "scn_poor", "scn_restart"}
    for path in sorted(STRINGS_DIR.glob("*.yaml")):
        strings = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert new <= set(strings), f"{path.name} lacks {sorted(new - set(strings))}"


def test_the_guide_shows_each_new_key_with_an_example() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"```yaml\n(.*?)```", guide, re.S))
    for key in ("shuffle:", "draw:", "attempts:", "show_answers:", "hint:", "objective:",
                "type: scenario", "steps:", "endings:", "outcome:", "next:", "scored:"):
        assert key in blocks, key
    # the scenario example loads as it is written
    example = re.search(r"```yaml\n(- id: disclosure\n.*?)```", guide, re.S)
    assert example
    quiz, problems = load("title: T\nquestions:\n" + re.sub(r"(?m)^", "  ", example.group(1)))
    assert not problems and quiz.questions[0].type == "scenario"


@pytest.mark.parametrize(("name", "lang"), [("talk", "en"), ("talk", "fr"), ("limited", "en")])
def test_golden_scenario_hint_and_attempts(name: str, lang: str, update_golden: bool) -> None:
    quiz = fixture_quiz(name, lang)
    html = pretty(QuizRenderer(load_strings(lang), lang, "measure").render(quiz))
    golden = GOLDEN / f"{name}.{lang}.html"
    if update_golden:
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden"
    assert html == golden.read_text(encoding="utf-8"), (
        "rendering changed: review, then run pytest --update-golden")


class _Paper:
    """The print edition's markup: quiz text made safe, the interface strings (English)."""

    def __init__(self) -> None:
        from builder.common.safe_markdown import SafeMarkdown
        from builder.render.strings import t

        self.md, self.s, self._t = SafeMarkdown(), load_strings("en"), t

    def inline(self, text: str) -> str:
        return self.md.inline(text)

    def block(self, text: str) -> str:
        return self.md.block(text)

    def t(self, key: str, **values: object) -> str:
        return self._t(self.s, key, **values)


def test_a_scenario_on_paper_is_a_gamebook_and_its_key_a_best_way_through() -> None:
    sheet = talk().worksheet(_Paper(), ("m/talk", "sam"))
    assert sheet.count('<span class="ws-box"></span>') == 6
    assert "Ask how it has been since then <span class=\"ws-goto\">go to 2</span>" in sheet
    assert "Best outcome" not in sheet  # outcomes are on the key only
    key = talk().answer_sheet(_Paper(), ("m/talk", "sam"))
    assert "A best way through: 1A → 2A → 3A → 4" in key
    assert '<li value="4"><strong>Best outcome</strong></li>' in key
    assert "Advice first closes the conversation." in key


@pytest.fixture
def declared_formats(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The formats pyproject.toml declares, in a venv installed before some of them."""
    import tomllib
    from importlib import metadata

    from builder.export import GROUP, base

    pyproject = tomllib.loads((GUIDE.parent.parent.parent / "pyproject.toml").read_text("utf-8"))
    found = dict(base._entry_points())
    for name, value in pyproject["project"]["entry-points"][GROUP].items():
        if name != "pdf":  # laid out only where a test asks (conftest.with_pdf)
            found.setdefault(name, metadata.EntryPoint(name, value, GROUP))
    monkeypatch.setattr(base, "_entry_points", lambda: found)
    base.exporter_class.cache_clear()
    yield
    base.exporter_class.cache_clear()


@pytest.mark.usefixtures("declared_formats")
@pytest.mark.parametrize("fmt", ["moodle-xml", "gift", "imscc"])
def test_formats_without_a_branching_question_say_so_at_its_line(fmt: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    from builder.cli import main

    assert main(["export", "-f", str(MEASURE / "mkdocs.yml"), "--format", fmt, "-o",
                 str(tmp_path), "-l", "en", "--track", "m"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"quizzes/en/m/talk\.yml:3: .*scenario", err), err
