from organisation.models import OperatorProfile


def operator_profile_get() -> OperatorProfile | None:
    """The operator's profile, or None until the privacy officer has filled it in."""
    return OperatorProfile.objects.order_by("pk").first()
