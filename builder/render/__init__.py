"""Quiz and course-widget rendering to HTML. Imports only `errors`, `model` (a
question's own HTML comes from its type, `Question.unit`) and the `common` floor (relative
URLs, JSON for the browser)."""

from .quiz import QuizRenderer
from .strings import load_strings

__all__ = ["QuizRenderer", "load_strings"]
