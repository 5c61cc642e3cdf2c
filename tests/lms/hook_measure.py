# --actions hook for ../shared/lms/import_and_play.py, used by tests/lms/test_quiz_features.py
# (issue 15): like the lab's hook_mooc_quiz.py (whose page helpers it borrows) it opens every
# page of the SCO through the course menu, but it answers only the questions an attempt
# shows (`draw`), walks a scenario to a best ending, and reports what each quiz shows: the
# questions drawn, the order of every question's choices, each scenario's path, the result.
# Every save's size is recorded as tests/lms/hook.py does.
#   HOOK_MODE  answer (default): answer every quiz right, then report | verify: report only
import json
import os

SHARED_HOOK = os.environ.get("MOOC_LMS_HOOK") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "lms",
    "hook_mooc_quiz.py")
MODE = os.environ.get("HOOK_MODE", "answer")

READ = r"""
(section) => {
  const key = JSON.parse(section.querySelector('.mooc-quiz__key').textContent);
  const check = section.querySelector('[data-action=check]');
  const out = {quiz: key.quiz, shown: [], orders: {}, paths: {},
               result: (section.querySelector('.mooc-quiz__result') || {}).textContent || '',
               locked: !!(check && check.hidden)};
  for (const fs of section.querySelectorAll('fieldset[data-question]')) {
    const id = fs.getAttribute('data-question');
    if (!fs.hidden) out.shown.push(id);
    out.orders[id] = [...fs.querySelectorAll('li[data-choice]')]
      .map(li => li.getAttribute('data-choice')).join(' ');
    const scn = fs.querySelector('.mooc-scn');
    if (scn) out.paths[id] = scn.getAttribute('data-path');
  }
  return out;
}
"""


def best_path(q):
    """A shortest path to a best ending in the page's key (steps: where each choice leads,
    a step's index or -1 - an ending's)."""
    queue, seen = [(0, [])], {0}
    while queue:
        at, path = queue.pop(0)
        for k, to in enumerate(q["steps"][at]):
            if to < 0 and q["endings"][-1 - to] == "best":
                return [*path, k]
            if to >= 0 and to not in seen:
                seen.add(to)
                queue.append((to, [*path, k]))
    return []


def answer(page, section, log):
    key = json.loads(section.locator(".mooc-quiz__key").text_content())
    if section.locator("[data-action=check]").is_hidden():
        section.locator("[data-action=retry]").click()
    for q in key["questions"]:
        fs = section.locator(f'fieldset[data-question="{q["id"]}"]')
        if fs.is_hidden():
            continue  # not drawn in this attempt
        t = q["type"]
        if t in ("single", "multiple"):
            for i in range(q["n"]):
                fs.locator(f'input[value="{i}"]').set_checked(i in q["correct"])
        elif t == "true-false":
            fs.locator(f'input[value="{"true" if q["correct"] else "false"}"]').check()
        elif t == "fill-in":
            fs.locator("input[type=text]").fill(q["display"])
        elif t == "scenario":
            if fs.locator(".mooc-scn__restart").is_visible():
                fs.locator(".mooc-scn__restart").click()
            at = 0
            for k in best_path(q):
                fs.locator(f'.mooc-scn__step[data-step="{at}"] '
                           f'.mooc-scn__choice[data-choice="{k}"] button').click()
                at = q["steps"][at][k]
    section.locator("[data-action=check]").click()
    page.wait_for_timeout(400)
    log(f"[hook] checked {key['quiz']}: {section.locator('.mooc-quiz__result').text_content()!r}")


def act(page, sco_frame, log):
    sizes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hook.py")
    spy = {"__file__": sizes, "__name__": "lms_size_hook"}
    with open(sizes) as fh:
        exec(compile(fh.read(), sizes, "exec"), spy)
    page.evaluate(spy["SIZE_SPY"])  # every save's size (tests/lms/hook.py)
    ns = {"__file__": SHARED_HOOK, "__name__": "lms_shared_hook"}
    with open(SHARED_HOOK) as fh:
        exec(compile(fh.read(), SHARED_HOOK, "exec"), ns)
    rel, inner_frame, open_page = ns["rel"], ns["inner_frame"], ns["open_page"]
    frame = inner_frame(page, sco_frame)
    page.wait_for_timeout(500)
    cfg = json.loads(sco_frame.locator("#mooc-scorm-config").text_content(timeout=5000))
    first = rel(frame.url)
    summary = {"mode": MODE, "first_page": first, "quizzes": {}, "quizzes_answered": 0}
    summary["shell_before"] = sco_frame.evaluate("() => MoocScorm.debug()")
    targets = [first] + [p["path"] for p in cfg["pages"] if p["path"] != first]
    for path in targets:
        if rel(frame.url) != path:
            frame = open_page(page, sco_frame, frame, path, log)
        n = ns["wait_quizzes"](page, frame, log)
        for k in range(n):
            section = frame.locator("section.mooc-quiz").nth(k)
            if MODE == "answer":
                answer(page, section, log)
                summary["quizzes_answered"] += 1
            seen = section.evaluate(READ)
            summary["quizzes"][seen["quiz"]] = seen
        page.wait_for_timeout(300)
    summary["shell_after"] = sco_frame.evaluate("() => MoocScorm.debug()")
    return summary
