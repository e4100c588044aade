"""Media storage from the environment: a shared directory, or an S3-compatible bucket."""

import json

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from tests.config.test_settings import REQUIRED, _production_settings

SHOW = (
    "from django.conf import settings; import json; "
    "print(json.dumps({'storage': settings.STORAGES['default'], 'root': str(settings.MEDIA_ROOT)}))"
)


def test_by_default_media_is_the_shared_directory_media_root(tmp_path):
    done = _production_settings(SHOW, **REQUIRED, MEDIA_ROOT=str(tmp_path))

    shown = json.loads(done.stdout)
    assert shown["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert shown["root"] == str(tmp_path)


def test_s3_storage_is_private_signed_and_never_overwrites():
    done = _production_settings(
        SHOW, **REQUIRED, MEDIA_STORAGE="s3", S3_BUCKET="derbes-media",
        S3_ENDPOINT_URL="https://s3.example.org", S3_ACCESS_KEY_ID="id",
        S3_SECRET_ACCESS_KEY="secret",
    )  # fmt: skip

    storage = json.loads(done.stdout)["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "derbes-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["querystring_auth"] is True
    assert storage["OPTIONS"]["file_overwrite"] is False


def test_an_unknown_media_storage_stops_the_start():
    done = _production_settings(SHOW, **REQUIRED, MEDIA_STORAGE="ftp")

    assert done.returncode != 0
    assert "MEDIA_STORAGE is 'filesystem' or 's3'" in done.stderr


def test_two_processes_see_the_same_files_through_the_shared_directory(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = storages["default"].save("evidence/letter.eml", ContentFile(b"From: a@example.org"))

    read = f"from django.core.files.storage import default_storage; print(default_storage.open({name!r}).read())"  # noqa: E501
    done = _production_settings(read, **REQUIRED, MEDIA_ROOT=str(tmp_path))

    assert "From: a@example.org" in done.stdout
