import time

from django.db.models.signals import post_delete, post_save

from organisation.models import OperatorProfile

# The public pages (unsubscribe) show the operator's name and mailbox on every request of a
# mailing's burst: they read the profile at most once a minute per process. A change shows at
# once in the process that saved it, within the minute in the others.
PUBLIC_PAGES_CACHE_SECONDS = 60.0
_public_cache: tuple[float, OperatorProfile | None] | None = None


def operator_profile_get() -> OperatorProfile | None:
    """The operator's profile, or None until the privacy officer has filled it in."""
    return OperatorProfile.objects.order_by("pk").first()


def operator_profile_for_public_pages() -> OperatorProfile | None:
    """operator_profile_get, read again after PUBLIC_PAGES_CACHE_SECONDS (for display only)."""
    global _public_cache
    now = time.monotonic()
    if _public_cache is None or now - _public_cache[0] > PUBLIC_PAGES_CACHE_SECONDS:
        _public_cache = (now, operator_profile_get())
    return _public_cache[1]


def _forget_public_cache(**_kwargs: object) -> None:
    global _public_cache
    _public_cache = None


post_save.connect(_forget_public_cache, sender=OperatorProfile, dispatch_uid="operator_cache_save")
post_delete.connect(
    _forget_public_cache, sender=OperatorProfile, dispatch_uid="operator_cache_delete"
)
