"""The results app's rules as django-rules permissions (autodiscovered by rules.apps.AutodiscoverRulesConfig).

The predicates live in permissions.py; this module only names them, e.g.
`user.has_perm("results.edit_measure", measure)`.
"""

from __future__ import annotations

import rules

from .permissions import (
    may_edit_concept,
    may_edit_indicator,
    may_edit_measure,
    may_run_reports,
    may_use_monitoring_staff_pages,
)

rules.add_perm("results.use_monitoring_staff_pages", may_use_monitoring_staff_pages)
rules.add_perm("results.edit_concept", may_edit_concept)
rules.add_perm("results.run_reports", may_run_reports)
rules.add_perm("results.edit_measure", may_edit_measure)
rules.add_perm("results.edit_indicator", may_edit_indicator)
