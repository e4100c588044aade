"""The admin's upload and confirm forms. The confirm step names the staged file and the choices
made with it, signed for the user (the file itself waits on the server: imports.services.uploads).
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from consents.models import Purpose
from imports.services.uploads import CONFIRM_MAX_AGE, PREVIEW_GONE, StagedFile

LIST_FORMATS = (
    ("auto", _("Detect")),
    ("generic", _("A list of subscribers")),
    ("mailchimp", _("A Mailchimp export")),
)
LANGUAGES = (
    ("auto", _("Detect")),
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
)
ENCODINGS = (
    ("auto", _("Detect")),
    ("utf-8", "UTF-8"),
    ("cp1251", "Windows-1251"),
    ("kz1048", "KZ-1048"),
)


class MailingListImportForm(ImportForm):
    purpose = forms.ModelChoiceField(
        label=_("Purpose the people consented to"),
        queryset=Purpose.objects.filter(is_active=True),
    )
    list_format = forms.ChoiceField(label=_("Kind of list"), choices=LIST_FORMATS)
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=ENCODINGS,
        help_text=_("Lists saved by Excel in Kazakhstan are often Windows-1251 or KZ-1048."),
    )
    language = forms.ChoiceField(
        label=_("Preferred language of the people"),
        choices=LANGUAGES,
        required=False,
        initial="auto",
        help_text=_(
            "“Detect”: a language column of the list, else the letters of each person's name "
            "(Kazakh letters: kk; other Cyrillic: ru; Latin: en)."
        ),
    )
    field_order = ["import_file", "purpose", "list_format", "encoding", "language", "resource"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # CSV or XLSX is told by the file's own bytes: import-export's "Format" choice would
        # only be ignored, so it is not offered.
        del self.fields["format"]
        self.fields["import_file"].widget.attrs.pop("class", None)


@dataclass(frozen=True)
class Upload:
    name: str
    purpose_id: int
    list_format: str
    encoding: str
    language: str = "auto"


def _signer(user_id: int) -> signing.TimestampSigner:
    # Bound to the user: a token is no use to anyone else.
    return signing.TimestampSigner(salt=f"imports.upload.{user_id}")


def upload_sign(upload: Upload, staged: StagedFile, *, user_id: int) -> str:
    meta = {
        "name": upload.name,
        "file": staged.as_dict(),
        "purpose": upload.purpose_id,
        "format": upload.list_format,
        "encoding": upload.encoding,
        "language": upload.language,
    }
    return _signer(user_id).sign_object(meta, compress=True)


def upload_unsign(token: str, *, user_id: int) -> tuple[Upload, StagedFile]:
    """The upload behind `token` and its staged file; signing.BadSignature when it was altered
    or is too old."""
    data = _signer(user_id).unsign_object(token, max_age=CONFIRM_MAX_AGE)
    upload = Upload(
        data["name"],
        data["purpose"],
        data["format"],
        data["encoding"],
        data.get("language", "auto"),
    )
    return upload, StagedFile.from_dict(data["file"])


class ConfirmUploadForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_id = user_id

    def clean_upload(self) -> tuple[Upload, StagedFile]:
        try:
            return upload_unsign(self.cleaned_data["upload"], user_id=self.user_id)
        except (signing.BadSignature, ValueError, KeyError, TypeError):
            raise forms.ValidationError(
                PREVIEW_GONE,
                code="bad_upload",
            ) from None
