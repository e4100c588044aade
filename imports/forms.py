"""The admin's upload and confirm forms. The confirm step carries the uploaded file itself,
compressed and signed, in the page: nothing of an upload is kept on the server, so an upload
that is never confirmed leaves no copy anywhere."""

import base64
import json
import zlib
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from consents.models import Purpose

CONFIRM_MAX_AGE = 60 * 60  # seconds a preview stays confirmable
# The signed upload travels in a form field: Django refuses POST bodies larger than
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default), so the token stays below that.
TOKEN_MAX_CHARS = 2_000_000

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
    content: bytes
    purpose_id: int
    list_format: str
    encoding: str
    language: str = "auto"


def _signer(user_id: int) -> signing.TimestampSigner:
    # Bound to the user: a token is no use to anyone else.
    return signing.TimestampSigner(salt=f"imports.upload.{user_id}")


def upload_sign(upload: Upload, *, user_id: int) -> str:
    meta = json.dumps(
        {
            "name": upload.name,
            "purpose": upload.purpose_id,
            "format": upload.list_format,
            "encoding": upload.encoding,
            "language": upload.language,
        }
    )
    blob = zlib.compress(meta.encode() + b"\0" + upload.content, 6)
    return _signer(user_id).sign(base64.urlsafe_b64encode(blob).decode())


def upload_unsign(token: str, *, user_id: int) -> Upload:
    """The upload behind `token`; signing.BadSignature when it was altered or is too old."""
    value = _signer(user_id).unsign(token, max_age=CONFIRM_MAX_AGE)
    meta, content = zlib.decompress(base64.urlsafe_b64decode(value)).split(b"\0", 1)
    data = json.loads(meta)
    return Upload(
        data["name"],
        content,
        data["purpose"],
        data["format"],
        data["encoding"],
        data.get("language", "auto"),
    )


class ConfirmUploadForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_id = user_id

    def clean_upload(self) -> Upload:
        try:
            return upload_unsign(self.cleaned_data["upload"], user_id=self.user_id)
        except (signing.BadSignature, ValueError, zlib.error, KeyError):
            raise forms.ValidationError(
                _("This preview has expired or was altered: upload the file again."),
                code="bad_upload",
            ) from None
