"""The requests admin: the request list and page with its one-click actions, and what the
privacy officer configures (deadline rules, answer templates, the working-day calendar)."""

from requests.admin import reference, subject_request  # noqa: F401 (registers the admins)
