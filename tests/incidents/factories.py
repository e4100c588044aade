from datetime import timedelta

from django.utils import timezone

from incidents import services
from incidents.models import AffectedSource, Incident, IncidentKind


def incident_open(*, actor=None, subjects=(), **data) -> Incident:
    """An incident as the admin opens it: through the service, so the rules apply."""
    fields = {
        "detected_at": timezone.now() - timedelta(hours=2),
        "detected_by": "IT administrator",
        "detection_method": "Monitoring alert",
        "kind": IncidentKind.UNAUTHORISED_ACCESS,
        "description": "A backup of the mailing database was readable from the internet.",
        "data_categories": ["name", "email", "phone", "identifier"],
        **data,
    }
    incident = services.incident_open(actor=actor, reason="test data", data=fields)
    if subjects:
        services.incident_subjects_add(
            incident=incident,
            subject_ids=[s.pk for s in subjects],
            source=AffectedSource.PICKED,
            actor=actor,
        )
    return incident
