"""The live preview's page when the course cannot be built: every problem as
`path:line: message`, in place of every page (plugin.py), until the files are fixed.

A page of its own (no theme, no script of ours): mkdocs' live-reload script, which the
preview adds to every HTML page it serves, reloads it when a rebuild succeeds.
"""

from __future__ import annotations

import html

PROBLEMS_STYLE = ("body{font:1rem/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;"
                  "padding:1rem 1.5rem;color:#1a1a1a;background:#fff}"
                  "li{margin:.4rem 0}code{white-space:pre-wrap;word-break:break-word}")


def problems_page(problems: list[str], title: str) -> str:
    """The page listing `problems` (plain text, one each), under `title` (the course's)."""
    errors = sum(1 for p in problems if ": warning: " not in p)
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>Problems to fix: {html.escape(title)}</title>\n"
        f"<style>{PROBLEMS_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{html.escape(title)}: {errors} problem(s) to fix before the preview can "
        "show the course</h1>\n"
        "<p>Fix them in your files and save: this page reloads by itself, and shows the "
        "course once they are fixed. <code>mooc check</code> prints the same list.</p>\n"
        f"<ul>\n{items}\n</ul>\n</main>\n</body>\n</html>\n")
