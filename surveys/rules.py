"""The surveys' rules about people, as django-rules permissions (autodiscovered).

`user.has_perm("surveys.view_results", survey)` and `{% has_perm %}` ask the same predicates
the services enforce. SYSTEM (foundation.actors) passes only where a rule names it: the demo
loader publishes results, and the retention run works on its own behalf.
"""

from __future__ import annotations

import rules

from foundation.actors import is_system
from foundation.roles import is_coordination_office, is_editor

#: Building surveys, importing recipients and sending their mail: editors and the coordination
#: office (the builder and the invitation screens ask this one predicate, through the Wagtail
#: policy in surveys.permissions).
may_build_surveys = is_coordination_office | is_editor
#: The results dashboard, the per-question pages and the free texts: the coordination office
#: (it runs the survey's reports) and the editors (they build surveys in the admin and check
#: what a questionnaire collects).
may_view_survey_results = is_coordination_office | is_editor
#: Publishing results on the public page: the coordination office publishes (see the guide).
may_publish_survey_results = is_coordination_office | is_system
#: Exports hold every answer, free texts included: the coordination office only.
may_export_survey_results = is_coordination_office | is_system

rules.add_perm("surveys.build_surveys", may_build_surveys)
rules.add_perm("surveys.view_results", may_view_survey_results)
rules.add_perm("surveys.publish_results", may_publish_survey_results)
rules.add_perm("surveys.export_results", may_export_survey_results)
