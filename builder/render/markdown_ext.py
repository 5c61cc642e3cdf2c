"""A Markdown extension that replaces marker lines with HTML from the builder.

- `::: quiz ID` -> the quiz, rendered by a `QuizRenderer`;
- `::: mooc NAME` -> a course widget (track cards, competency matrix, ...).

It knows nothing of mkdocs: the host sets `current_page` (the page's path under the
language folder) before converting a page, so widgets can make relative links.

With `defer`, a quiz, and the module header and footer, become a short HTML
comment in the converted page and the host calls `fill` on the finished HTML: whatever
reads the page in between (a search indexer parsing every tag, say) does not pay for
their markup. None of it is the page's text: a quiz is skipped by the search anyway
(`data-search-exclude`), and the header's track, duration and objectives would open
every search result's snippet.

A deferred quiz is rendered (or taken from the build's cache) only when its page is
filled, given `known` (whether a quiz id exists): mkdocs converts every page before it
writes the first one, and a 1,000-module course would otherwise hold every quiz's HTML
at once.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ..model import FENCE_RE, MARKER_RE

# Widgets that frame a module rather than say something: deferred like quizzes.
DEFERRED_WIDGETS = frozenset({"module-header", "module-footer"})
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
            f = FENCE_RE.match(line)
            if f:
                fence = None if fence == f.group(1) else (fence or f.group(1))
            m = None if fence else MARKER_RE.match(line)
            if m is None:
                out.append(line)
                continue
            kind, name = m.groups()
            html = self.ext.quiz_block(name) if kind == "quiz" else self.ext.widget(name)
            if html is None:
                out.append(line)  # left visible: the checks report the unknown id
                continue
            out += ["", self.md.htmlStash.store(html), ""]
        return out


class MoocExtension(Extension):
    def __init__(self, quizzes: QuizLookup, widgets: Mapping[str, Widget], *,
                 defer: bool = False, known: Callable[[str], bool] | None = None) -> None:
        super().__init__()
        self.quizzes = quizzes
        self.widgets = widgets
        self.current_page = ""
        self.defer = defer
        self.known = known  # whether a quiz exists, without rendering it (see `fill`)
        # token -> HTML (or what makes it), until `fill` puts it back
        self.deferred: dict[str, str | Callable[[], str]] = {}
        self._nonce = secrets.token_hex(8)  # trainers' text cannot guess a token
        self._token = re.compile(f"<!--mooc-defer-{self._nonce}-[0-9]+-->")

    def quiz_block(self, quiz_id: str) -> str | None:
        if self.defer and self.known is not None:
            if not self.known(quiz_id):
                return None
            return self._deferred(lambda: self.quizzes(quiz_id) or "")
        return self._deferred(self.quizzes(quiz_id))

    def _deferred(self, html: str | Callable[[], str] | None) -> str | None:
        if html is None or not self.defer:
            return html if not callable(html) else html()
        token = f"<!--mooc-defer-{self._nonce}-{len(self.deferred)}-->"
        self.deferred[token] = html
        return token

    def fill(self, html: str) -> str:
        """Put the deferred blocks back into a finished page (and forget them: a page is
        finished once, and a 1,000-module course would keep them all until the end)."""
        if f"<!--mooc-defer-{self._nonce}-" not in html:
            return html
        def block(m: re.Match[str]) -> str:
            found = self.deferred.pop(m.group(0), "")
            return found if isinstance(found, str) else found()

        return self._token.sub(block, html)

    def widget(self, name: str) -> str | None:
        make = self.widgets.get(name)
        if make is None:
            return None
        html = make(self.current_page)
        return self._deferred(html) if name in DEFERRED_WIDGETS and html else html

    def extendMarkdown(self, md: Markdown) -> None:
        # Before fenced code (priority 25) would not matter: we skip fences ourselves.
        md.preprocessors.register(_MarkerPreprocessor(md, self), "mooc_markers", 29)
