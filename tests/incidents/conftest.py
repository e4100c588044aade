# The real SMTP sink on loopback that the request tests use (aiosmtpd, in this process).
from tests.requests.conftest import _smtp_controller, smtp_sink  # noqa: F401
