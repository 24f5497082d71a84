"""Invitation mode: recipients imported from CSV/XLSX, invitations and reminders by the worker
in throttled batches, the opt-out page. See importing.py and mailing.py."""
