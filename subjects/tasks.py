"""Jobs of the subjects app, run by the workers of Procrastinate (subjects.search)."""

from procrastinate.contrib.django import app

from subjects.search import subject_search_fill


# Idempotent: it writes only the missing rows, so a second delivery writes nothing.
@app.task(name="index_subjects_for_search", queue="imports")
def index_subjects_for_search(*, first_id: int, last_id: int) -> None:
    subject_search_fill(first_id, last_id)
