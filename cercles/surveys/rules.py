"""Survey permissions. Community-level ones take the community, the others take the survey.

Surveys are the members' business: people outside the community (even when the network may read
its content) and pending members do not see them at all; coordinators follow them.
"""

import rules

from cercles.accounts.rules import is_coordinator
from cercles.communities.rules import is_active_member, is_leading, is_running, is_writable

from .models import ResultsAudience, Status, SurveyKind


def _on_community(predicate):
    @rules.predicate(name=f"survey_{predicate.name}")
    def on_survey(user, survey):
        return survey is not None and predicate.test(user, survey.community)

    return on_survey


def _status_in(*statuses):
    @rules.predicate(name=f"survey_is_{'_'.join(statuses)}")
    def predicate(user, survey):
        return survey is not None and survey.status in statuses

    return predicate


@rules.predicate
def has_answers(user, survey):
    return survey is not None and survey.response_count > 0


@rules.predicate
def is_expectations(user, survey):
    return survey is not None and survey.kind == SurveyKind.EXPECTATIONS


@rules.predicate
def results_for_members(user, survey):
    return survey is not None and survey.results_audience == ResultsAudience.MEMBERS


@rules.predicate
def enough_answers(user, survey):
    return survey is not None and not survey.hides_results


is_prepared = _status_in(Status.DRAFT, Status.SCHEDULED)
is_open = _status_in(Status.OPEN)
is_closed = _status_in(Status.CLOSED)
was_opened = _status_in(Status.OPEN, Status.CLOSED)
reads_surveys = is_active_member | is_coordinator
leads = _on_community(is_leading)
member = _on_community(is_active_member)
running = _on_community(is_running)
follows = _on_community(is_coordinator)

rules.add_perm("surveys.view_surveys", reads_surveys)
rules.add_perm("surveys.create_survey", is_leading & is_running & is_writable)
rules.add_perm("surveys.view_survey", (leads | follows) | (member & was_opened))
rules.add_perm(
    "surveys.edit_survey",
    leads & running & (is_prepared | is_open) & ~has_answers & is_writable,
)
rules.add_perm(
    "surveys.open_survey", leads & running & is_prepared & ~is_expectations & is_writable
)
rules.add_perm("surveys.close_survey", leads & is_open & is_writable)
rules.add_perm(
    "surveys.delete_survey", leads & ~is_expectations & ~has_answers & ~is_closed & is_writable
)
rules.add_perm("surveys.skip_survey", leads & running & is_expectations & is_prepared & is_writable)
rules.add_perm("surveys.answer_survey", member & running & is_open & is_writable)
rules.add_perm(
    "surveys.view_results",
    was_opened & enough_answers & (leads | follows | (member & results_for_members & is_closed)),
)
rules.add_perm("surveys.export_answers", was_opened & enough_answers & (leads | follows))
rules.add_perm("surveys.handle_needs", is_leading & is_running & is_writable)
rules.add_perm("surveys.edit_template", is_coordinator)
