from organisation.models import OperatorProfile
from tests.tracked_factory import TrackedModelFactory


class OperatorProfileFactory(TrackedModelFactory):
    class Meta:
        model = OperatorProfile

    name_kk = "«Демо» қоғамдық қоры"
    bin = "123456789012"
    privacy_email = "privacy@example.org"
