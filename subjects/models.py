from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.encryption import BlindIndexField, EncryptedTextField
from common.history import AuditHistory
from common.model_fields import created_at_field, updated_at_field
from common.models import PersonalDataModel
from common.personal_data import DataCategory as C
from common.personal_data import classify
from common.phones import normalise_phone
from common.validators import validate_iin
from subjects.agreement_values import (
    ENCRYPTED_AGREEMENT_FIELDS,
    agreement_value_errors,
    normalise_agreement_values,
)
from subjects.contact_digests import ContactDigestField, with_digests


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
        "email_digest": C.EMAIL, "phone_digest": C.PHONE,
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
    # Keyed hashes of the two, as the suppression list stores them: the mailing list is checked
    # against the list in SQL (subjects.contact_digests says why they are never stale).
    email_digest = ContactDigestField(_("e-mail digest"), source="email")
    phone_digest = ContactDigestField(_("phone digest"), source="phone")
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
    created_at = created_at_field(_("created at"))
    updated_at = updated_at_field()
    blocked_at = models.DateTimeField(_("blocked at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    history = AuditHistory()

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        kwargs["update_fields"] = with_digests(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        name = " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)
        return name or self.email or f"#{self.pk}"

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Normalise before the field validators run: " A@B.KZ " is a valid address once trimmed,
        # and one person's address or number must be one value however it was typed.
        self.email = (self.email or "").strip().lower() or None
        errors: dict[str, list[Any]] = {}
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


@classify(subject_path="subject", personal={"text": C.NAME, "phone": C.PHONE}, other=("subject",))
class SubjectSearch(models.Model):
    """What the subject search looks through: the whole name, the e-mail and the phone as one
    upper-cased text (a trigram index), and the phone (a B-tree, for a number typed from its
    start). A copy of the subject's own fields, kept by PostgreSQL triggers on
    subjects_subject (subjects.search_sql), so that no write path has to remember it; a
    subject created by an import is indexed by a job right after the import commits
    (subjects.search). Erasure blanks it as it blanks the subject. The SQLite demo leaves it
    empty and searches the subject's own columns."""

    # No foreign key constraint: filling a million rows would lock each subject's row on the way
    # (KEY SHARE); a deleted subject takes its row with it (Django's cascade, and a trigger).
    subject = models.OneToOneField(
        Subject,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search",
        db_constraint=False,
        verbose_name=_("data subject"),
    )
    text = models.TextField(_("search text"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("search entry of a subject")
        verbose_name_plural = _("search entries of subjects")

    def __str__(self) -> str:
        return f"#{self.subject_id}"


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
    created_at = created_at_field(_("created at"))

    history = AuditHistory()

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


@classify(
    subject_path="subject",
    personal={
        "passport_number": C.AGREEMENT, "passport_number_index": C.AGREEMENT,
        "passport_issued_by": C.AGREEMENT, "passport_issued_on": C.AGREEMENT,
        "bank_name": C.AGREEMENT, "bank_bic": C.AGREEMENT, "bank_account": C.AGREEMENT,
    },
    other=("id", "subject", "agreement_number", "agreement_date", "created_at", "updated_at"),
)  # fmt: skip
class AgreementData(PersonalDataModel):
    """Passport data and payment requisites written into a written agreement with the subject.

    Each value is encrypted in its column and in every history row (common.encryption); reads
    give masked `Sealed` values. Seeing the plaintext takes the `view_agreement_data` permission
    and is logged (subjects.agreements.agreement_data_reveal).
    """

    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("data subject")
    )
    agreement_number = models.CharField(_("agreement number"), max_length=64, blank=True)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    passport_number = EncryptedTextField(
        _("passport or ID card number"), blind_index_field="passport_number_index"
    )
    passport_number_index = BlindIndexField(
        _("passport number index"), source="passport_number", purpose="passport_number"
    )
    passport_issued_by = EncryptedTextField(_("issued by"))
    passport_issued_on = EncryptedTextField(_("issued on"), help_text=_("YYYY-MM-DD"))
    bank_name = EncryptedTextField(_("bank"))
    bank_bic = EncryptedTextField(_("BIC"))
    bank_account = EncryptedTextField(_("account (IBAN)"))
    created_at = created_at_field(_("created at"))
    updated_at = updated_at_field()

    history = AuditHistory()

    class Meta:
        verbose_name = _("agreement data")
        verbose_name_plural = _("agreement data")
        ordering = ("-id",)
        permissions = [("view_agreement_data", _("Can see decrypted agreement data"))]
        indexes = [models.Index(fields=["passport_number_index"], name="agreement_passport_idx")]

    def __str__(self) -> str:
        return self.agreement_number or f"#{self.pk}"

    def clean(self) -> None:
        # Only values typed in now are plaintext; sealed ones were checked when they were written.
        errors = agreement_value_errors(
            normalise_agreement_values(
                {name: getattr(self, name) for name in ENCRYPTED_AGREEMENT_FIELDS}
            )
        )
        if errors:
            raise ValidationError(errors)


class AccessContext(models.TextChoices):
    """Where agreement data was shown: stored as the code, shown in the reader's language."""

    ADMIN_PAGE = "admin change page", _("the agreement data's page in the admin")


@classify(
    subject_path="agreement__subject",
    other=("id", "agreement", "viewed_by", "viewed_at", "fields", "context"),
)
class AgreementDataAccess(models.Model):
    """One view of decrypted agreement data: who, when, which values, where. Append-only."""

    agreement = models.ForeignKey(
        AgreementData,
        on_delete=models.SET_NULL,
        null=True,
        related_name="accesses",
        verbose_name=_("agreement data"),
    )
    viewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("viewed by"),
    )
    viewed_at = created_at_field(_("viewed at"))
    fields = models.JSONField(_("values shown"), default=list)
    context = models.CharField(_("where"), max_length=100, choices=AccessContext.choices)

    class Meta:
        verbose_name = _("view of agreement data")
        verbose_name_plural = _("views of agreement data")
        ordering = ("-viewed_at", "-id")

    def __str__(self) -> str:
        return f"{self.viewed_at:%Y-%m-%d %H:%M} #{self.agreement_id}"
