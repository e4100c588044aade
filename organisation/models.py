from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.history import AuditHistory
from common.model_fields import updated_at_field
from common.personal_data import classify

# Editable defaults: the authorised body since its renaming in 2025.
AUTHORITY_NAME_KK = "Қазақстан Республикасының Жасанды интеллект және цифрлық даму министрлігі"
AUTHORITY_NAME_RU = (
    "Министерство искусственного интеллекта и цифрового развития Республики Казахстан"
)
AUTHORITY_NAME_EN = (
    "Ministry of Artificial Intelligence and Digital Development of the Republic of Kazakhstan"
)


@classify(
    subject_path=None,
    other=(
        "id", "name_kk", "name_ru", "name_en", "bin", "address_kk", "address_ru", "address_en",
        "privacy_email", "website", "responsible_person", "responsible_person_email",
        "responsible_person_phone", "authority_name_kk", "authority_name_ru", "authority_name_en",
        "authority_address_kk", "authority_address_ru", "authority_address_en",
        "authority_channel", "updated_at",
    ),
)  # fmt: skip
class OperatorProfile(models.Model):
    """Who the operator is, as printed on receipts, answers and notices; one row."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    bin = models.CharField(
        _("BIN"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("A BIN is exactly 12 digits."))],
        help_text=_("Business identification number, 12 digits."),
    )
    address_kk = models.TextField(_("address (Kazakh)"), blank=True)
    address_ru = models.TextField(_("address (Russian)"), blank=True)
    address_en = models.TextField(_("address (English)"), blank=True)
    privacy_email = models.EmailField(
        _("privacy mailbox"), help_text=_("Where subjects send their requests.")
    )
    website = models.URLField(_("website"), blank=True)
    # The responsible person (Art. 25 of the Law) is staff, not a data subject of this register.
    responsible_person = models.CharField(_("responsible person"), max_length=255, blank=True)
    responsible_person_email = models.EmailField(_("responsible person's e-mail"), blank=True)
    responsible_person_phone = models.CharField(
        _("responsible person's phone"), max_length=32, blank=True
    )
    # The authorised body for personal data (Art. 1(2) of the Law) receives breach notices
    # (Art. 25(2)(8)). Ministries are renamed and move: who it is today is data, not code.
    authority_name_kk = models.CharField(
        _("authorised body (Kazakh)"), max_length=255, blank=True, default=AUTHORITY_NAME_KK
    )
    authority_name_ru = models.CharField(
        _("authorised body (Russian)"), max_length=255, blank=True, default=AUTHORITY_NAME_RU
    )
    authority_name_en = models.CharField(
        _("authorised body (English)"), max_length=255, blank=True, default=AUTHORITY_NAME_EN
    )
    authority_address_kk = models.TextField(_("authorised body's address (Kazakh)"), blank=True)
    authority_address_ru = models.TextField(_("authorised body's address (Russian)"), blank=True)
    authority_address_en = models.TextField(_("authorised body's address (English)"), blank=True)
    authority_channel = models.TextField(
        _("how to notify the authorised body"),
        blank=True,
        help_text=_(
            "The portal, e-mail address or postal address breach notices go to, as the "
            "authorised body publishes it."
        ),
    )
    updated_at = updated_at_field()

    history = AuditHistory()

    class Meta:
        verbose_name = _("operator profile")
        verbose_name_plural = _("operator profile")

    def __str__(self) -> str:
        return self.name_kk
