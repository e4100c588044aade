"""Writes of the Tilda webhook: receiving (store first) and applying (to the registers)."""

from webforms.services.applying import (
    HoldReason,
    submission_accept_changes,
    submission_process,
    submissions_process,
    tilda_form_save,
)
from webforms.services.receiving import (
    submission_store,
    webhook_api_key_valid,
    webhook_secret_valid,
)

__all__ = [
    "HoldReason",
    "submission_accept_changes",
    "submission_process",
    "submission_store",
    "submissions_process",
    "tilda_form_save",
    "webhook_api_key_valid",
    "webhook_secret_valid",
]
