"""The words of this distribution's own formats: label, description and notes per language
(`Exporter.label`, `.description`, `.notes`), which their classes take from here.

A site build shows these words of the formats (interface strings `format_<name>_*`,
`base.wordings`: the downloads page, the strings a course must translate) and nothing
else of them, so it reads them here without importing the formats themselves (a third
of the builder's import cost); another distribution's format is imported for its words.
`tests/test_format_words.py` checks that every class says what this table says.
"""

from __future__ import annotations

# SCORM 1.2 and 2004 (scorm.py): what the downloads page says of a package that falls back
SCORM_NOTES: dict[str, dict[str, str]] = {
    "fallback": {"en": "one SCO per module", "fr": "un SCO par module"},
    "compact": {"en": "answers reported without times or prompts",
                "fr": "réponses transmises sans heure ni énoncé"},
    "minimal": {"en": "each question reported as right or wrong only",
                "fr": "chaque question transmise comme juste ou fausse seulement"},
    "quizzes": {"en": "each quiz reported with its score, not each question",
                "fr": "chaque quiz transmis avec son score, sans le détail des questions"},
    "none": {"en": "score and status only, no report per question",
             "fr": "score et statut seulement, sans détail par question"}}

# format name -> (the class its entry point names, label, description, notes)
Words = tuple[str, dict[str, str], dict[str, str], dict[str, dict[str, str]]]
BUILTIN: dict[str, Words] = {
    "scorm12": (
        "builder.export.scorm12:Scorm12Exporter",
        {"en": "SCORM 1.2"},
        {"en": "SCORM 1.2 for Moodle (and its mobile app)",
         "fr": "SCORM 1.2 pour Moodle (et son application mobile)"},
        SCORM_NOTES),
    "scorm2004": (
        "builder.export.scorm2004:Scorm2004Exporter",
        {"en": "SCORM 2004 4th edition", "fr": "SCORM 2004 4e édition"},
        {"en": "SCORM 2004 for platforms that prefer it",
         "fr": "SCORM 2004 pour les plateformes qui le préfèrent"},
        SCORM_NOTES),
    "imscc": (
        "builder.export.imscc:CommonCartridgeExporter",
        {"en": "IMS Common Cartridge 1.1"},
        {"en": "Common Cartridge for a native course: pages, and quizzes in the LMS's own "
               "quiz engine (Moodle, Canvas, Brightspace, Blackboard)",
         "fr": "Common Cartridge pour un cours natif : des pages, et des quiz dans le moteur "
               "de quiz de la plateforme (Moodle, Canvas, Brightspace, Blackboard)"},
        {}),
    "moodle-xml": (
        "builder.export.moodle_xml:MoodleXmlExporter",
        {"en": "Moodle XML"},
        {"en": "Moodle XML to add every question, with its feedback and points, to a Moodle "
               "question bank for your own quizzes",
         "fr": "Moodle XML pour ajouter chaque question, avec ses rétroactions et ses points, "
               "à une banque de questions Moodle pour vos propres tests"},
        {}),
    "gift": (
        "builder.export.gift:GiftExporter",
        {"en": "GIFT"},
        {"en": "GIFT for the questions in Moodle or another platform that reads GIFT "
               "(without the ordering questions; every question worth 1 point)",
         "fr": "GIFT pour les questions dans Moodle ou une autre plateforme qui lit le GIFT "
               "(sans les questions à ordonner ; chaque question vaut 1 point)"},
        {}),
    "cmi5": (
        "builder.export.cmi5:Cmi5Exporter",
        {"en": "cmi5", "fr": "cmi5"},
        {"en": "cmi5 (xAPI) for platforms with a learning record store, one activity per "
               "module",
         "fr": "cmi5 (xAPI) pour les plateformes dotées d’un entrepôt de traces "
               "d’apprentissage (LRS), une activité par module"},
        {}),
    "pdf": (
        "builder.export.pdf:PdfExporter",
        {"en": "PDF (print)", "fr": "PDF (impression)"},
        {"en": "the PDF print edition to print or read offline (a learner workbook per "
               "track, a facilitator's kit for the whole course)",
         "fr": "l’édition PDF à imprimer ou à lire hors ligne (un cahier d’apprentissage "
               "par parcours, un kit d’animation pour tout le cours)"},
        {"workbook": {"en": "learner workbook", "fr": "cahier d’apprentissage"},
         "kit": {"en": "facilitator's kit", "fr": "kit d’animation"},
         "alt": {"en": "some images have no text alternative",
                 "fr": "des images n’ont pas de texte de remplacement"}}),
}

