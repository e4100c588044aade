"""Answer templates: Django's template language, from strings the privacy officer edits.

Plain-text e-mail, so nothing is HTML-escaped. The context holds only strings, numbers and lists
of strings, never model instances: a template can print what it is given and reach nothing else.
"""

from typing import Any

from django.template import Context, Engine, TemplateSyntaxError

# Its own engine: no loaders (templates come from the database), no autoescape (plain text).
_ENGINE = Engine(autoescape=False, libraries={}, builtins=[])


def render_text(source: str, context: dict[str, Any]) -> str:
    return _ENGINE.from_string(source).render(Context(context))


def template_errors(*, subject: str, body: str) -> dict[str, str]:
    """Syntax errors of an answer template's subject line and text, by field name."""
    errors = {}
    for field, source in (("subject_template", subject), ("body_template", body)):
        try:
            _ENGINE.from_string(source or "")
        except TemplateSyntaxError as error:
            errors[field] = str(error)
    return errors
