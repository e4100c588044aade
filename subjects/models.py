from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from common.models import PersonalDataModel
from common.personal_data import DataCategory as C
from common.personal_data import classify
from common.phones import normalise_phone
from common.validators import validate_iin


class Source(models.TextChoices):
    """Where the operator got the data from (the policy's list of sources)."""

    REGISTRATION_FORM = "registration_form", _("Site registration form")
    SUBSCRIPTION_FORM = "subscription_form", _("Subscription form")
    CONTRACT = "contract", _("Contract")
    PURCHASE = "purchase", _("Purchase")
    PHONE_CALL = "phone_call", _("Phone call")
    EMAIL = "email", _("E-mail")
    SUPPORT = "support", _("Support service")
    PUBLIC_SOURCE = "public_source", _("Public source")
    IMPORT = "import", _("Import of an old list")
    TILDA_FORM = "tilda_form", _("Tilda form")


class SubjectState(models.TextChoices):
    ACTIVE = "active", _("Active")
    BLOCKED = "blocked", _("Blocked")
    ERASED = "erased", _("Erased")


@classify(
    subject_path="",
    personal={
        "last_name": C.NAME, "first_name": C.NAME, "patronymic": C.NAME,
        "email": C.EMAIL, "phone": C.PHONE, "birth_date": C.BIRTH_DATE,
        "country": C.LOCATION, "city": C.LOCATION, "address": C.LOCATION,
        "position": C.OCCUPATION, "organisation": C.OCCUPATION,
        "photo": C.PHOTO, "website": C.ONLINE, "iin": C.IDENTIFIER,
        "source_detail": C.CORRESPONDENCE,
    },
    other=(
        "id", "preferred_language", "source", "state", "created_at", "updated_at",
        "blocked_at", "erased_at",
    ),
)  # fmt: skip
class Subject(PersonalDataModel):
    """A person whose data the operator processes."""

    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    # NULL, not "", when absent: the case-insensitive unique constraint covers present addresses.
    email = models.EmailField(_("e-mail"), null=True, blank=True)  # noqa: DJ001
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("Stored as +7XXXXXXXXXX (E.164).")
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=150, blank=True)
    address = models.TextField(_("address"), blank=True)
    position = models.CharField(_("position (profession)"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    photo = models.ImageField(_("photo"), upload_to="subjects/photos/", blank=True)
    website = models.URLField(_("personal website"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="kk"
    )
    iin = models.CharField(
        _("IIN"), max_length=12, blank=True, validators=[validate_iin],
        help_text=_("Optional individual identification number, 12 digits."),
    )  # fmt: skip
    source = models.CharField(_("source of the data"), max_length=32, choices=Source.choices)
    source_detail = models.CharField(
        _("source detail"),
        max_length=500,
        blank=True,
        help_text=_("Which form, file, call or message the data came from."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=SubjectState.choices, default=SubjectState.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data subject")
        verbose_name_plural = _("data subjects")
        ordering = ("-id",)
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(email__isnull=False),
                name="subject_email_ci_unique",
                violation_error_message=_("Another subject already has this e-mail address."),
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=SubjectState.values), name="subject_state_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state=SubjectState.ERASED) | models.Q(erased_at__isnull=False),
                name="subject_erased_has_time",
            ),
        ]

    def __str__(self) -> str:
        name = " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)
        return name or self.email or f"#{self.pk}"

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Normalise before the field validators run: " A@B.KZ " is a valid address once trimmed,
        # and one person's address or number must be one value however it was typed.
        self.email = (self.email or "").strip().lower() or None
        errors: dict[str, list[str]] = {}
        if self.phone:
            try:
                self.phone = normalise_phone(self.phone)
            except ValidationError as error:
                errors["phone"] = error.messages
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def masked_iin(self) -> str:
        return f"{'•' * 8}{self.iin[-4:]}" if self.iin else ""


class HandleKind(models.TextChoices):
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    VKONTAKTE = "vkontakte", "VK"
    LINKEDIN = "linkedin", "LinkedIn"
    OTHER = "other", _("Other")


@classify(
    subject_path="subject",
    personal={"value": C.ONLINE},
    other=("id", "subject", "kind", "created_at"),
)
class ContactHandle(PersonalDataModel):
    """An account of the subject in a social network or messenger."""

    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="handles", verbose_name=_("data subject")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=HandleKind.choices)
    value = models.CharField(_("account"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact handle")
        verbose_name_plural = _("contact handles")
        constraints = [
            models.UniqueConstraint(
                fields=("subject", "kind", "value"), name="contacthandle_unique_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
