import factory
from django.utils import timezone

from imports.models import ImportChannel, ImportRun, ListKind
from tests.consents.factories import purpose
from tests.tracked_factory import TrackedModelFactory


class ImportRunFactory(TrackedModelFactory):
    """A recorded import, as the service leaves it (for pages that list them)."""

    class Meta:
        model = ImportRun

    file_name = factory.Sequence(lambda n: f"list-{n}.csv")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    purpose = factory.LazyFunction(purpose)
    list_kind = ListKind.GENERIC
    encoding = "utf-8"
    channel = ImportChannel.ADMIN
    rows = 10
    created = 7
    updated = 1
    unchanged = 0
    suppressed = 1
    withdrawn = 0
    duplicates = 0
    rejected = 1
    imported_at = factory.LazyFunction(timezone.now)
