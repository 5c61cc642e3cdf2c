"""Files -> model. Every problem found is collected with its path and line; nothing raises
for a trainer's mistake. Imports only `cache`, `errors`, `model`, `questions` (each
question's own keys) and the `yamlsrc` helper.

One module per kind of file: `course` (course.yml), `pages` (front matter, quiz markers,
links, anchors), `quizzes`, `strings` (a course's interface strings), `glossary`, and
`project`, which loads them all; `files` reads any of them (size limit, fingerprints,
the build cache).
"""

from .course import ID_RE, load_course
from .files import cached_read, fingerprint, fingerprint_file, read_text, rel
from .glossary import load_abbreviations
from .pages import (
    load_page,
    load_pages,
    module_ids,
    page_from_text,
    scan_body,
    slugify,
    split_front_matter,
)
from .project import load_project
from .quizzes import QUIZ_KEYS, load_quiz, load_quizzes, quiz_from_text
from .strings import load_strings_file

__all__ = ["ID_RE", "QUIZ_KEYS", "cached_read", "fingerprint", "fingerprint_file",
           "load_abbreviations", "load_course", "load_page", "load_pages", "load_project",
           "load_quiz", "load_quizzes", "load_strings_file", "module_ids", "page_from_text",
           "quiz_from_text", "read_text", "rel", "scan_body", "slugify", "split_front_matter"]
