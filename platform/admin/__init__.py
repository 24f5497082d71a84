"""The admin of the platform: the Wagtail admin at /admin/, registered in ../wagtail_hooks.py.

- forms.py: the forms of the screens (a parent with its children edited inline)
- viewsets.py: the foundation's models (menu "Platform")
"""

# The Django admin at /django-admin/ still registers here (autodiscovery imports this package)
# until the Wagtail admin offers all of it.
from . import django_admin  # noqa: F401
