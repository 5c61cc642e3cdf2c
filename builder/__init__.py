"""mooc-builder: a course compiler for Markdown modules and YAML quizzes.

The core (model, questions, loaders, validate, common, render, export, pipeline, build)
never imports mkdocs; `plugin` and `cli` are the only adapters to it.
"""

__version__ = "0.1.0"
