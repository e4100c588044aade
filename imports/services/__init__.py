"""Import of old mailing lists (see importing.mailing_list_import)."""

from imports.services.importing import (
    FileReport,
    ImportFailed,
    ImportReport,
    ImportSource,
    mailing_list_import,
)

__all__ = ["FileReport", "ImportFailed", "ImportReport", "ImportSource", "mailing_list_import"]
