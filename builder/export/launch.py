"""The launch page of a SCORM SCO or a cmi5 AU: the page the LMS opens, which shows the
part's pages in a frame and runs the format's runtime. Both formats make it here and add
the same scripts: questions.js (the question types), package-launch.js (the pages and
their quizzes), then the format's runtime (scorm-runtime.js, cmi5-runtime.js).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from ..common.jsdata import script_json
from ..common.rewrite import Side
from .base import Runtime
from .plan import PackagePlan, QuestionPlan

QUESTIONS_PATH = "assets/mooc/questions.js"  # the question types' browser side (the site's)
PACKAGE_LAUNCH = Runtime("assets/mooc/package-launch.js", "builder.export",
                         "assets/package-launch.js")


def add_launch_scripts(files: dict[str, bytes], site_dir: Path, runtime: Runtime) -> None:
    """The scripts of the launch pages, into a package's files (questions.js even if no
    page of the package uses it)."""
    if QUESTIONS_PATH not in files:
        files[QUESTIONS_PATH] = (site_dir / QUESTIONS_PATH).read_bytes()
    files[PACKAGE_LAUNCH.path] = PACKAGE_LAUNCH.read()
    files[runtime.path] = runtime.read()


def side_pages(plan: PackagePlan, strings: dict[str, str]) -> Side:
    """The pages a package holds beside its SCOs or AUs (the course's help page), which
    the module pages open in a new window, saying so in the package's language."""
    return Side(plan.side, strings["new_window"])


def question_settings(q: QuestionPlan, itype: str, patterns: list[str],
                      **extra: Any) -> dict[str, Any]:
    """A question in the launch page's settings (the runtime's `quizzes[].questions`):
    `itype` and `patterns` in the format's spelling, `extra` what only the format needs."""
    out: dict[str, Any] = {"id": q.id, "type": q.type, "points": q.points, "n": q.n,
                           "iid": q.interaction, "itype": itype, "cr": patterns,
                           "desc": q.prompt, **extra, **q.unit.scorm_key()}
    if q.cap:
        out["cap"] = q.cap
    if not q.scored:
        out["scored"] = False
    return out


def launch_page(kind: str, lang: str, title: str, first: str, config: dict[str, Any],
                runtime: Runtime, *, csp: str, style: str, bar: str = "") -> str:
    """The launch page: `kind` names its frame (`mooc-<kind>-frame`) and its settings
    (`mooc-<kind>-config`, the runtime's `config`); `first` is the page a browser without
    JavaScript links to; `style` adds to the page's CSS, `bar` is HTML before the frame."""
    title = html.escape(title)
    scripts = "".join(f'<script src="{src}"></script>\n'
                      for src in (QUESTIONS_PATH, PACKAGE_LAUNCH.path, runtime.path))
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f"<style>html,body{{margin:0;height:100%;overflow:hidden}}{style}</style>\n"
        "</head>\n<body>\n"
        f"{bar}"
        f'<iframe id="mooc-{kind}-frame" title="{title}"></iframe>\n'
        f'<noscript><p><a href="{html.escape(first)}">{title}</a></p></noscript>\n'
        f'<script type="application/json" id="mooc-{kind}-config">'
        f"{script_json(config, sort_keys=True)}</script>\n"
        f"{scripts}"
        "</body>\n</html>\n")
