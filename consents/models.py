from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.approval import APPROVAL_FIELDS, Approvable
from common.errors import DomainError
from common.fields import MultipleChoiceField
from common.history import AuditHistory
from common.i18n import localized
from common.model_fields import created_at_field
from common.models import PersonalDataModel
from common.personal_data import DataCategory, classify
from subjects.models import Subject
from subjects.representation import REPRESENTATIVE_OTHER, REPRESENTATIVE_PERSONAL, Represented


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent of the subject")
    CONTRACT = "contract", _("Contract with the subject")
    LAW = "law", _("Requirement of the law")


RETENTION_WITHOUT_LAW = _(
    "Data kept after the purpose ends must be required by a law: name the law and its article "
    "(e.g. the Tax Code, Art. 48), or leave the retention empty."
)


def purpose_retention_refusal(
    *, retention_days: int | None, retention_law: str
) -> DomainError | None:
    """The refusal of a retention period that names no law (None when the pair is valid)."""
    if retention_days and not retention_law.strip():
        return DomainError(RETENTION_WITHOUT_LAW, code="retention_without_law")
    return None


@classify(
    subject_path=None,
    other=(
        "id", "code", "name_kk", "name_ru", "name_en", "description_kk", "description_ru",
        "description_en", "legal_basis", "is_marketing", "retention_days", "retention_law",
        "is_active", "sort_order", "data_categories",
    ),
)  # fmt: skip
class Purpose(models.Model):
    """A purpose of processing from the policy; consents are given per purpose."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    is_marketing = models.BooleanField(
        _("marketing"),
        default=False,
        help_text=_("Marketing consents can be withdrawn with an unsubscribe link."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention after the purpose ends (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the data is destroyed or depersonalised as soon as the purpose ends."),
    )
    # Art. 18(3-1) and the policy: data is destroyed when its purpose is achieved, unless a law
    # requires keeping it; a retention period without that law would be processing without basis.
    retention_law = models.CharField(
        _("law that requires the retention"),
        max_length=255,
        blank=True,
        help_text=_("Required when data is kept after the purpose ends: the law and its article."),
    )
    data_categories = MultipleChoiceField(
        _("categories of personal data processed"),
        item_choices=DataCategory.choices,
        help_text=_("What a consent for this purpose covers unless it says otherwise."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = AuditHistory()

    class Meta:
        verbose_name = _("purpose of processing")
        verbose_name_plural = _("purposes of processing")
        ordering = ("sort_order", "code")
        # The export holds every address on the list and the links that withdraw consent.
        permissions = [("export_mailing_list", _("Can export the mailing list of a purpose"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retention_days__isnull=True)
                | models.Q(retention_days=0)
                | ~models.Q(retention_law=""),
                name="purpose_retention_names_law",
                violation_error_message=RETENTION_WITHOUT_LAW,
            ),
        ]

    def __str__(self) -> str:
        return localized(self, "name")

    def clean(self) -> None:
        refusal = purpose_retention_refusal(
            retention_days=self.retention_days, retention_law=self.retention_law
        )
        if refusal is not None:
            raise ValidationError({"retention_law": refusal})


class DocumentKind(models.TextChoices):
    PRIVACY_POLICY = "privacy_policy", _("Privacy policy")
    COOKIE_NOTICE = "cookie_notice", _("Cookie notice")
    FORM_CONSENT = "form_consent", _("Consent text of a form")


@classify(
    subject_path=None,
    other=(
        "id", "kind", "version_label", "published_at", "text_kk", "text_ru", "text_en",
        "created_at", *APPROVAL_FIELDS,
    ),
)  # fmt: skip
class PolicyVersion(Approvable):
    """A document version; each consent points at the one in force when it was given.

    A version is drafted, approved by the operator's order (Art. 25(2)(1-1)), then published;
    a draft has no `published_at` and is never in force.
    """

    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    version_label = models.CharField(_("version"), max_length=64)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("Empty while a draft.")
    )
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    created_at = created_at_field(_("created at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ("kind", "-published_at")
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "version_label"), name="policyversion_label_unique_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version_label}"


class ConsentMethod(models.TextChoices):
    WRITTEN_AGREEMENT = "written_agreement", _("Written agreement")
    OFFER_ACCEPTANCE = "offer_acceptance", _("Acceptance of an offer")
    SITE_CHECKBOX = "site_checkbox", _("Checkbox on the site")
    SUBSCRIPTION_FORM = "subscription_form", _("Subscription form")
    EMAIL = "email", _("E-mail")
    IMPORT = "import", _("Import of an old list")
    TILDA_FORM = "tilda_form", _("Tilda form")
    # Art. 8(1): consent may be given through a state service (e.g. the eGov portal or its
    # mobile application) or a non-state one, in any form that lets it be confirmed.
    STATE_SERVICE = "state_service", _("Through a state service (e.g. eGov)")
    NON_STATE_SERVICE = "non_state_service", _("Through a non-state service")


class ConsentState(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WithdrawalChannel(models.TextChoices):
    UNSUBSCRIBE_LINK = "unsubscribe_link", _("Unsubscribe link")
    EMAIL_REQUEST = "email_request", _("Request by e-mail")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    ERASURE = "erasure", _("Ended by erasure")


@classify(
    subject_path="subject",
    personal={
        "evidence": DataCategory.CORRESPONDENCE,
        "evidence_file": DataCategory.CORRESPONDENCE,
        "evidence_payload": DataCategory.CORRESPONDENCE,
        **REPRESENTATIVE_PERSONAL,
    },
    other=(
        *REPRESENTATIVE_OTHER,
        "id", "subject", "purpose", "given_at", "method", "policy_version", "valid_until",
        "third_party_transfer", "notify_of_transfer", "cross_border_transfer",
        "cross_border_countries", "public_sources", "data_categories", "state", "withdrawn_at",
        "withdrawal_channel", "created_at", "legal_hold", "legal_hold_reason",
    ),
)  # fmt: skip
class Consent(Represented, PersonalDataModel):
    """One subject's consent to one purpose, with the content Art. 8(4) of the Law requires."""

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="consents", verbose_name=_("data subject")
    )
    # Indexed by consent_purpose_given_idx, which begins with the purpose.
    purpose = models.ForeignKey(
        Purpose,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("purpose"),
        db_index=False,
    )
    given_at = models.DateTimeField(_("given at"))
    method = models.CharField(_("method"), max_length=32, choices=ConsentMethod.choices)
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("How the consent can be confirmed.")
    )
    evidence_file = models.FileField(_("evidence file"), upload_to="consents/evidence/", blank=True)
    evidence_payload = models.JSONField(
        _("raw evidence"), default=dict, blank=True, help_text=_("Form payload as received.")
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,  # a version that any consent points at can't be deleted
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("policy version"),
    )
    # Art. 8(4): the content of the consent.
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Empty: until the purpose of processing is achieved."),
    )
    third_party_transfer = models.BooleanField(_("transfer to third parties"), default=False)
    # Art. 19(1): a consent may make a transfer conditional on telling the subject of it; the
    # operator then tells them within 10 working days (processors.notices).
    notify_of_transfer = models.BooleanField(
        _("tell the subject of each transfer"),
        default=False,
        help_text=_(
            "The subject asked to be told of every transfer of their data to a third party "
            "(Art. 19(1) of the Law): a notice is due within 10 working days of each transfer."
        ),
    )
    cross_border_transfer = models.BooleanField(_("cross-border transfer"), default=False)
    cross_border_countries = CountryField(
        _("countries of cross-border transfer"), multiple=True, blank=True
    )
    public_sources = models.BooleanField(_("publication in public sources"), default=False)
    data_categories = MultipleChoiceField(
        _("categories of personal data"), item_choices=DataCategory.choices
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ConsentState.choices, default=ConsentState.GIVEN
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_channel = models.CharField(
        _("withdrawal channel"), max_length=32, choices=WithdrawalChannel.choices, blank=True
    )
    # An obligation the law keeps (an unfinished contract, a tax record): no erasure, no retention.
    legal_hold = models.BooleanField(
        _("kept by law"),
        default=False,
        help_text=_("The data must be kept (e.g. an unfinished contract): erasure is refused."),
    )
    legal_hold_reason = models.CharField(_("why it is kept"), max_length=255, blank=True)
    created_at = created_at_field(_("created at"))

    # History is read by consent (id) and by subject (erasure), never by purpose or version:
    # two indexes fewer to write for every history row (the importer writes one per person).
    history = AuditHistory(no_db_index=["purpose", "policy_version"])

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ("-given_at",)
        permissions = [
            ("send_consent_receipt", _("Can e-mail the consent receipt to a subject")),
            # Art. 17(1): the register without identifiers, for analytics and research.
            ("export_depersonalised", _("Can export the depersonalised consent register")),
        ]
        constraints = [
            # A subject holds at most one live consent per purpose; withdrawn ones stay as evidence.
            models.UniqueConstraint(
                fields=("subject", "purpose"),
                condition=models.Q(state="given"),
                name="consent_one_live_per_purpose",
                violation_error_message=_(
                    "The subject already has a live consent for this purpose."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(state="given", withdrawn_at__isnull=True)
                | models.Q(state="withdrawn", withdrawn_at__isnull=False),
                name="consent_withdrawn_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(legal_hold=False) | ~models.Q(legal_hold_reason=""),
                name="consent_legal_hold_has_reason",
                violation_error_message=_("Say why the data is kept by law."),
            ),
        ]
        indexes = [
            # The admin list, newest first, whole or of one purpose (the changelist adds -id);
            # the second also finds a purpose's consents (the mailing list, outdated versions).
            models.Index(fields=("-given_at", "-id"), name="consent_given_idx"),
            models.Index(fields=("purpose", "-given_at", "-id"), name="consent_purpose_given_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} #{self.pk}"


class RefusalGround(models.TextChoices):
    """Art. 8(2) of the Law: the only grounds on which a withdrawal may be refused."""

    CONTRARY_TO_LAW = "contrary_to_law", _("Withdrawal would be contrary to the law")
    UNFULFILLED_OBLIGATION = "unfulfilled_obligation", _("An obligation is not yet fulfilled")


@classify(
    subject_path="consent__subject",
    personal={"detail": DataCategory.CORRESPONDENCE},
    other=("id", "consent", "ground", "channel", "refused_at", "refused_by"),
)
class WithdrawalRefusal(PersonalDataModel):
    """A withdrawal the operator refused, with its Art. 8(2) ground: the consent stays given."""

    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="refusals", verbose_name=_("consent")
    )
    ground = models.CharField(_("ground"), max_length=32, choices=RefusalGround.choices)
    detail = models.TextField(_("explanation"), help_text=_("Which law or obligation, and why."))
    channel = models.CharField(
        _("how the withdrawal arrived"), max_length=32, choices=WithdrawalChannel.choices
    )
    refused_at = models.DateTimeField(_("refused at"))
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("refused by"),
    )

    history = AuditHistory()

    class Meta:
        verbose_name = _("refused withdrawal")
        verbose_name_plural = _("refused withdrawals")
        ordering = ("-refused_at",)

    def __str__(self) -> str:
        return f"{self.get_ground_display()} #{self.pk}"


class SuppressionKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    WITHDRAWN = "withdrawn", _("Withdrew marketing consent")
    ERASED = "erased", _("Erased")
    BOUNCED = "bounced", _("Address bounced")


# The digest is a keyed hash: it survives erasure on purpose, so that an erased or departed
# person is never added back from an old list, and it reveals nothing without the key.
@classify(subject_path=None, other=("id", "kind", "digest", "reason", "created_at"))
class SuppressionEntry(models.Model):
    """An e-mail or phone (as a keyed hash) that must never be mailed or imported again."""

    kind = models.CharField(_("kind"), max_length=8, choices=SuppressionKind.choices)
    digest = models.CharField(_("keyed hash"), max_length=64)
    reason = models.CharField(_("reason"), max_length=16, choices=SuppressionReason.choices)
    created_at = created_at_field(_("added at"))

    history = AuditHistory()

    class Meta:
        verbose_name = _("suppression list entry")
        verbose_name_plural = _("suppression list")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=("kind", "digest"), name="suppression_unique_digest"),
        ]
        indexes = [models.Index(fields=("-created_at", "-id"), name="suppression_created_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.digest[:12]}…"
