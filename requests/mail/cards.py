"""Card numbers in letters: the operator does not process payment card data, so every number
that looks like a card (13-19 digits, any of the separators `common.validators.CARD_SEPARATOR`
names between groups, passing Luhn) keeps only its last four digits. The rule is
`common.validators`' masking, the one every app masks with; intake takes it from here.
"""

from common.validators import (
    mask_card_numbers,
    mask_card_numbers_in_bytes,
    mask_card_numbers_in_html,
)

__all__ = ["mask_card_numbers", "mask_card_numbers_in_bytes", "mask_card_numbers_in_html"]
