"""Reading requests out of e-mail: parsing, names, kinds, card numbers, IMAP. No database writes."""
