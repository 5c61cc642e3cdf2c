"""URLs between the files of a site (or a package): relative paths with forward slashes."""

from __future__ import annotations

import functools
import posixpath
from urllib.parse import unquote, urlsplit


def relative_url(from_path: str, to_path: str) -> str:
    """The URL of one file of the site (or package) from another, both relative paths."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


@functools.lru_cache(maxsize=1 << 14)  # every page's menu holds the same links
def is_external(url: str) -> bool:
    """A URL with a scheme or a host: it leaves the site."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or url.startswith("//"))


def resolve(url: str, page_path: str) -> str | None:
    """A relative URL of a page -> a normalised path in the site, or None if it leaves."""
    found = _resolve(url, posixpath.dirname(page_path))
    return page_path if found == "" else found


@functools.lru_cache(maxsize=1 << 16)  # pages of one folder share their menu's links
def _resolve(url: str, folder: str) -> str | None:
    """`resolve` from a page in `folder`; "" for the page itself."""
    path = unquote(urlsplit(url).path)
    if not path:
        return ""
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    if path.endswith("/"):
        joined = f"{joined}/index.html" if joined != "." else "index.html"
    return joined
