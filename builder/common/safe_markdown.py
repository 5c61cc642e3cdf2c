"""Markdown for untrusted text (quiz prompts, choices, feedback).

Raw HTML is shown as text, never passed through; links and images may only use
http(s), mailto or relative URLs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape as html_escape

import markdown
from markdown.treeprocessors import Treeprocessor

SAFE_URL = re.compile(r"^(https?:|mailto:|#|[^:]*$)", re.IGNORECASE)
# Text with none of these renders to itself (escaped): no need to run Markdown. Inline
# syntax needs one of the characters; block syntax (lists, headings, quotes, code) a line
# start, and a text without a line break has one; tabs and \x02/\x03 are rewritten by
# Markdown. Checked against Markdown on random texts (tests/test_render.py).
MARKDOWN_CHARS = re.compile(r"[\\`*_\[\]<>&\n\r\t\x02\x03]|^\s|\s$|  |^\s*(?:[#>+=-]|\d+[.)])")


class _UrlFilter(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and not SAFE_URL.match(value.strip()):
                    el.set(attr, "#")
            if el.tag == "a" and (el.get("href") or "").startswith(("http:", "https:")):
                el.set("rel", "noopener noreferrer")


class SafeMarkdown:
    """A Markdown converter with raw HTML disabled."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists", "abbr"])
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._md.treeprocessors.register(_UrlFilter(self._md), "mooc_url_filter", 0)

    def block(self, text: str) -> str:
        if not MARKDOWN_CHARS.search(text):
            return f"<p>{html_escape(text, quote=False)}</p>" if text else ""
        return self._convert(text)

    def _convert(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)

    def render(self, text: str) -> tuple[str, bool]:
        """(HTML, True) when the text is one paragraph: its content without the <p>;
        (HTML, False) for block Markdown (lists, several paragraphs)."""
        if not MARKDOWN_CHARS.search(text):
            return html_escape(text, quote=False), True
        html = self._convert(text)
        m = re.fullmatch(r"<p>(.*)</p>", html, re.DOTALL)
        if m and "<p>" not in m.group(1):
            return m.group(1), True
        return html, html == ""

    def inline(self, text: str) -> str:
        """One paragraph's content, without the <p>; block Markdown is rendered as such."""
        return self.render(text)[0]
