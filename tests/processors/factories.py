import factory

from processors.models import Processor
from tests.tracked_factory import TrackedModelFactory


class ProcessorFactory(TrackedModelFactory):
    class Meta:
        model = Processor

    legal_name = factory.Sequence(lambda n: f"Demo Hosting {n} LLP")
    registration_number = "123456789012"
    country = "KZ"
    services = factory.LazyFunction(lambda: ["hosting"])
    actions = factory.LazyFunction(lambda: ["store"])
    data_categories = factory.LazyFunction(lambda: ["name", "email"])
    stores_data_in_kazakhstan = True
