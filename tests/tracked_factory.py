import factory

from common.history import save_with_history


class TrackedModelFactory(factory.django.DjangoModelFactory):
    """Validates, then saves with a history row, as the services do for models without one yet."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = model_class(*args, **kwargs)
        instance.full_clean()
        save_with_history(instance, actor=None, reason="test data")
        return instance
