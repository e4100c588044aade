"""Writes to subject requests, one module per stage: intake (with mailbox and unreadable),
deadlines (with reminders), fulfilment, answers; `base` holds what they share.

Every service is atomic, takes the acting user keyword-only, records history with a reason and
an entry on the request itself (`RequestAction`), and sends e-mail only after commit.
"""
