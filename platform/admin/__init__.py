"""The admin of the platform: the Wagtail admin at /admin/, registered in ../wagtail_hooks.py.

- viewsets.py: the foundation's models (menu "Platform")
- users.py: Wagtail's user admin with the platform's fields, filters and actions (apps.py
  installs it in place of wagtail.users)
- operations.py: outbox, notifications, Celery beat's periodic tasks (menu "Operations"),
  read-only
- actions.py: write operations (block, unblock, delete an account) as Wagtail actions
- bulk_actions.py: the listings' bulk actions, which call them (and relay outbox messages)
- forms.py: the forms of the screens (a parent with its children edited inline; accounts)
- base.py: what the viewsets share (lists with their relations, a readable inspect view)

There is no Django admin.
"""
