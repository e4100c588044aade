"""Approving documents (Art. 25 rules, lists) through their admin list's action, as an officer."""

from django.test import Client
from django.utils import timezone


def approve_selected(client: Client, url: str, selected: dict, *, order_number: str) -> None:
    """Post the list's approve action with its form confirmed: by the director's order of today."""
    client.post(url, {
        "action": "approve", "confirm": "1", "approved_by": "Директор",
        "order_number": order_number, "order_date": timezone.localdate().isoformat(), **selected,
    })  # fmt: skip
