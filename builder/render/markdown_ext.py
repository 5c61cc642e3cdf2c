"""A Markdown extension that replaces marker lines with HTML from the builder.

- `::: quiz ID` -> the quiz, rendered by a `QuizRenderer`;
- `::: mooc NAME` -> a course widget (track cards, competency matrix, ...).

It knows nothing of mkdocs: the host sets `current_page` (the page's path under the
language folder) before converting a page, so widgets can make relative links.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

MARKER = re.compile(r"^ {0,3}::: *(quiz|mooc) +(\S+) *$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")

QuizLookup = Callable[[str], str | None]
Widget = Callable[[str], str]  # current page path -> HTML


class _MarkerPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, ext: MoocExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fence: str | None = None
        for line in lines:
            f = FENCE.match(line)
            if f:
                fence = None if fence == f.group(1) else (fence or f.group(1))
            m = None if fence else MARKER.match(line)
            if m is None:
                out.append(line)
                continue
            kind, name = m.groups()
            html = self.ext.quiz(name) if kind == "quiz" else self.ext.widget(name)
            if html is None:
                out.append(line)  # left visible: the checks report the unknown id
                continue
            out += ["", self.md.htmlStash.store(html), ""]
        return out


class MoocExtension(Extension):
    def __init__(self, quizzes: QuizLookup, widgets: Mapping[str, Widget]) -> None:
        super().__init__()
        self.quizzes = quizzes
        self.widgets = widgets
        self.current_page = ""

    def quiz(self, quiz_id: str) -> str | None:
        return self.quizzes(quiz_id)

    def widget(self, name: str) -> str | None:
        make = self.widgets.get(name)
        return make(self.current_page) if make else None

    def extendMarkdown(self, md: Markdown) -> None:
        # Before fenced code (priority 25) would not matter: we skip fences ourselves.
        md.preprocessors.register(_MarkerPreprocessor(md, self), "mooc_markers", 29)
