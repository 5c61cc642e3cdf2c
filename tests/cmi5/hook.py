"""--actions hook for ../shared/cmi5/run_cts.py, for the cmi5 packages of the builder.

run_cts.py calls act(page, log) once the AU (a launch page: launch-<module>.html) has sent
`initialized`. The launch page shows the module's page in <iframe id="mooc-cmi5-frame">;
a page's quizzes are <section class="mooc-quiz"> forms enhanced by mooc.js. Like a
learner, the hook answers every quiz of the page (correctly, from the page's own answer
key), checks it, and presses "Exit module"; the AU then sends what is left and
`terminated`.

Environment (optional; tests/cmi5/test_cts.py calls act() with these as arguments):
  CMI5_HOOK_MODE   answer (default) | verify: answer nothing, report what the quizzes show
                   (a relaunch: did the answers come back from the State API?) |
                   verify-then-answer: both, in that order | answer-leave: answer, then
                   leave the page for another one without pressing Exit
  CMI5_HOOK_WRONG  quiz ids (space separated) to answer wrongly on purpose
  CMI5_HOOK_OUT    a file to write a JSON summary to (per AU, appended as one line each)
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

MODE = os.environ.get("CMI5_HOOK_MODE", "answer")
WRONG = set(os.environ.get("CMI5_HOOK_WRONG", "").split())
OUT = os.environ.get("CMI5_HOOK_OUT", "")

# What one quiz shows: the answers in its form, whether it is locked, its result line.
READ_QUIZ = r"""
(section) => {
  const key = JSON.parse(section.querySelector('.mooc-quiz__key').textContent);
  const check = section.querySelector('[data-action=check]');
  const out = {quiz: key.quiz, answers: {}, locked: !!(check && check.hidden), shown: [],
               result: (section.querySelector('.mooc-quiz__result') || {}).textContent || ''};
  for (const q of key.questions) {
    const fs = section.querySelector(`fieldset[data-question="${q.id}"]`);
    if (fs.hidden) { continue; }  // not drawn for this attempt
    out.shown.push(q.id);
    let v = null;
    if (q.type === 'single' || q.type === 'multiple' || q.type === 'true-false') {
      v = [...fs.querySelectorAll('input:checked')].map(i => i.value);
    } else if (q.type === 'fill-in') { v = fs.querySelector('input').value;
    } else if (q.type === 'reflection') { v = fs.querySelector('textarea').value;
    } else if (q.type === 'ordering') {
      v = [...fs.querySelectorAll('.mooc-order__item')].map(li => li.getAttribute('data-item'));
    } else if (q.type === 'matching') { v = [...fs.querySelectorAll('select')].map(s => s.value);
    } else if (q.type === 'scenario') {
      v = fs.querySelector('.mooc-scn').getAttribute('data-path');
    }
    out.answers[q.id] = {type: q.type, value: v};
  }
  return out;
}
"""


def course_frame(page: Any, timeout: float = 20) -> Any:
    """The module's page inside the launch page, once loaded."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            if frame is not page.main_frame and frame.url.split("?")[0].endswith(".html"):
                frame.wait_for_load_state("load")
                return frame
        page.wait_for_timeout(200)
    raise RuntimeError("the launch page shows no course page")


def ready_quizzes(page: Any, frame: Any, timeout: float = 10) -> int:
    """How many quizzes the page has, once mooc.js has enhanced them all."""
    n = int(frame.locator("section.mooc-quiz").count())
    deadline = time.time() + timeout
    while n and time.time() < deadline:
        if frame.locator("section.mooc-quiz[data-ready]").count() == n:
            break
        page.wait_for_timeout(200)
    return n


def scenario_path(q: dict[str, Any], best: bool) -> list[int]:
    """A shortest walk through a scenario's steps (q["steps"][i]: where each choice of step
    i leads, a step's index or -1 - an ending's) to a best ending, or to another one."""
    queue: list[tuple[int, list[int]]] = [(0, [])]
    seen = {0}
    while queue:
        at, path = queue.pop(0)
        for k, to in enumerate(q["steps"][at]):
            if to < 0:
                if (q["endings"][-1 - to] == "best") == best:
                    return [*path, k]
            elif to not in seen:
                seen.add(to)
                queue.append((to, [*path, k]))
    return []


def answer(page: Any, section: Any, wrong_questions: int) -> None:
    """Every question of a quiz, right but for the first `wrong_questions` scored ones,
    then "Check my answers"."""
    key = json.loads(section.locator(".mooc-quiz__key").text_content())
    if section.locator("[data-action=check]").is_hidden():
        section.locator("[data-action=retry]").click()  # checked in an earlier session
    for k, q in enumerate(key["questions"]):
        wrong = k < wrong_questions
        fs = section.locator(f'fieldset[data-question="{q["id"]}"]')
        if fs.is_hidden():
            continue  # not drawn for this attempt
        kind = q["type"]
        if kind in ("single", "multiple"):
            right = set(q["correct"])
            picks = right if not wrong else {next(i for i in range(q["n"]) if i not in right)}
            for i in range(q["n"]):
                box = fs.locator(f'input[value="{i}"]')
                if kind == "single":
                    if i in picks:
                        box.check()
                else:
                    box.set_checked(i in picks)
        elif kind == "true-false":
            value = q["correct"] != wrong
            fs.locator(f'input[value="{"true" if value else "false"}"]').check()
        elif kind == "fill-in":
            fs.locator("input[type=text]").fill(
                "zzz wrong" if wrong else (q.get("display") or q["correct"][0]))
        elif kind == "reflection":
            fs.locator("textarea").fill("A reflection written by the cmi5 test hook.")
        elif kind == "ordering":  # item i to position i with the Move up buttons
            order = list(range(q["n"]))[::-1] if wrong else list(range(q["n"]))
            for target, item in enumerate(order):
                for _ in range(q["n"]):
                    items = fs.locator(".mooc-order__item")
                    shown = [items.nth(k).get_attribute("data-item") for k in range(items.count())]
                    if shown.index(str(item)) <= target:
                        break
                    fs.locator(f'.mooc-order__item[data-item="{item}"] .mooc-order__up').click()
        elif kind == "matching":
            selects = fs.locator("select")
            n = selects.count()
            for i in range(n):
                selects.nth(i).select_option(str((i + 1) % n if wrong and n > 1 else i))
        elif kind == "scenario":  # from its first step, one choice after the other
            restart = fs.locator(".mooc-scn__restart")
            if restart.is_visible():
                restart.click()
            at = 0
            for choice in scenario_path(q, best=not wrong):
                fs.locator(f'.mooc-scn__step[data-step="{at}"] '
                           f'.mooc-scn__choice[data-choice="{choice}"] .mooc-scn__pick').click()
                at = q["steps"][at][choice]
    section.locator("[data-action=check]").click()


def act(page: Any, log: Any, mode: str = MODE, wrong_questions: int = 0) -> dict[str, Any]:
    frame = course_frame(page)
    summary: dict[str, Any] = {"page": frame.url.split("/")[-1].split("?")[0], "quizzes": []}
    n = ready_quizzes(page, frame)
    sections = [frame.locator("section.mooc-quiz").nth(k) for k in range(n)]
    if mode.startswith("verify"):  # the answers restored from the State API come after load
        page.wait_for_function("() => window.MoocCmi5 && window.MoocCmi5.connected()",
                               timeout=10000)
        page.wait_for_timeout(500)
        summary["before"] = [section.evaluate(READ_QUIZ) for section in sections]
        log(f"shown before answering: {json.dumps(summary['before'])[:400]}")
    for section in sections:
        quiz = json.loads(section.locator(".mooc-quiz__key").text_content())["quiz"]
        if mode in ("answer", "verify-then-answer", "answer-leave"):
            answer(page, section, 99 if quiz in WRONG else wrong_questions)
            page.wait_for_timeout(300)
            log(f"checked {quiz}: {section.locator('.mooc-quiz__result').text_content()!r}")
        summary["quizzes"].append(section.evaluate(READ_QUIZ))
    summary["debug"] = page.evaluate("() => window.MoocCmi5 ? MoocCmi5.debug() : null")
    if mode == "answer-leave":  # the window goes elsewhere (closed, or the LMS's page)
        page.goto("about:blank")
        log("left the page without Exit")
    else:
        page.locator("#mooc-cmi5-exit").click()
        log("exit pressed")
    if OUT:
        with open(OUT, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(summary) + "\n")
    return summary
