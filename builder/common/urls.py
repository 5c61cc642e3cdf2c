"""URLs between the files of a site (or a package): relative paths with forward slashes."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit


def relative_url(from_path: str, to_path: str) -> str:
    """The URL of one file of the site (or package) from another, both relative paths."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def is_external(url: str) -> bool:
    """A URL with a scheme or a host: it leaves the site."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or url.startswith("//"))


def resolve(url: str, page_path: str) -> str | None:
    """A relative URL of a page -> a normalised path in the site, or None if it leaves."""
    path = unquote(urlsplit(url).path)
    if not path:
        return page_path
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    if path.endswith("/"):
        joined = f"{joined}/index.html" if joined != "." else "index.html"
    return joined
