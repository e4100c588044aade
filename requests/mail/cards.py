"""Masking payment card numbers in letters the operator must keep but may not hold card data in.

A subject may write their card number into a letter; the request can't be refused for that, and
the operator's policy says it does not process card data. So every number that looks like a card
(13-19 digits, spaces or dashes between, passing Luhn) keeps only its last four digits. The rule
is `common.validators.mask_card_numbers`, the one every app masks with; intake takes it from here.
"""

from common.validators import mask_card_numbers, mask_card_numbers_in_bytes

__all__ = ["mask_card_numbers", "mask_card_numbers_in_bytes"]
