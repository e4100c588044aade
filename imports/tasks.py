"""Jobs of the imports app, run by the workers of Procrastinate (imports.services.queued)."""

from procrastinate.contrib.django import app

from imports.services.queued import import_run_queued


# A killed worker's job runs again from the start; two runs of one import wait for each other
# on the import's row (imports.services.queued).
@app.task(name="import_file", queue="imports")
def import_file(*, run_id: int) -> None:
    import_run_queued(run_id=run_id)
