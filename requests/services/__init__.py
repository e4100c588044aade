"""Writes to subject requests, one module per stage: intake, deadlines, fulfilment, answers.

Every service is atomic, takes the acting user keyword-only, records history with a reason and
an entry on the request itself (`RequestAction`), and sends e-mail only after commit.
"""
