"""Quiz and course-widget rendering to HTML. Imports only `errors` and `model`."""

from .quiz import QuizRenderer, normalise_answer, score_quiz
from .strings import load_strings

__all__ = ["QuizRenderer", "load_strings", "normalise_answer", "score_quiz"]
