from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "cercles.communities"
    label = "communities"
    verbose_name = _("Communities")

    def ready(self):
        from . import freshness
        from .models import Milestone, Task
        from .sections import register_section

        # What the home remembers of a community is forgotten when one of its rows changes.
        freshness.connect()
        freshness.track(
            Task,
            lambda task: (
                Milestone.objects.filter(pk=task.milestone_id)
                .values_list("community_id", flat=True)
                .first()
            ),
        )

        register_section(
            "home",
            _("Overview"),
            "communities:detail",
            permission="communities.view_presentation",
            order=0,
        )
        register_section("about", _("Framing"), "communities:about", order=5)
        register_section("members", _("Members"), "communities:members", order=10)
        register_section("milestones", _("Milestones"), "communities:milestones", order=50)

        from .panels import register_panel, register_shortcut
        from .views.home import milestones_panel, next_steps_panel

        register_panel(
            "next_steps", "communities/includes/home_next_steps.html",
            context=next_steps_panel, order=50,
        )  # fmt: skip
        register_panel(
            "milestones", "communities/includes/home_milestones.html",
            context=milestones_panel, order=55,
        )  # fmt: skip
        # Who joined through whom, the key people to approach and the relays (issue 11).
        register_panel(
            "recruiting", "communities/includes/recruiting_panel.html", zone="side", order=30
        )

        register_shortcut(
            "invite", _("Invite people"), "communities:invite",
            permission="communities.invite_members", order=40,
        )  # fmt: skip

        from . import notification_kinds  # noqa: F401  (listed on the settings page)
        from .notifying import register as register_with_notifications

        register_with_notifications()

        self._forget_public_pages_on_change()

        from allauth.account.signals import email_confirmed

        from .signals import accept_invitations_on_confirmed_address

        email_confirmed.connect(
            accept_invitations_on_confirmed_address, dispatch_uid="communities-invitations"
        )
        self._register_data_parts()

    def _register_data_parts(self):
        from cercles.accounts import personal_data
        from cercles.core.audit import register_actions

        from . import personal_data as memberships
        from .exports import register_export_part, write_framing, write_members

        register_export_part(
            "framing",
            _("the framing, its milestones and tasks, and the history of the community"),
            write_framing,
            permission="communities.view_presentation",
            order=0,
        )
        register_export_part("members", _("the members, by circle (CSV)"), write_members, order=10)
        personal_data.register(
            "memberships",
            _("Your memberships of communities and the invitations you received"),
            export=memberships.export,
            erase=memberships.erase,
            blockers=memberships.blockers,
            warnings=memberships.warnings,
            order=10,
        )
        register_actions(
            {
                "community.validate": _("Framing validated"),
                "community.request_changes": _("Changes requested on a framing"),
                "community.decline": _("Framing declined"),
                "community.dissolve": _("Community dissolved"),
                "community.close": _("Community closed"),
                "community.leadership_handed_over": _("Leadership handed over"),
                "membership.role_changed": _("Role changed"),
                "membership.removed": _("Member removed"),
                "invitation.co_lead": _("Co-lead invited"),
                "community.exported": _("Community exported"),
                "members.imported": _("Members imported"),
            }
        )

    def _forget_public_pages_on_change(self):
        """Public pages show communities with their lead, themes, territories and counts."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from cercles.core.public_pages import forget_after_commit
        from cercles.taxonomy.models import Territory, Theme

        from .models import Community, Membership

        for model in (Community, Membership, get_user_model(), Theme, Territory):
            for signal in (post_save, post_delete):
                signal.connect(forget_after_commit, sender=model, dispatch_uid=f"public-{model}")
        from django.core.cache import cache

        from .catalogue import TERRITORY_CACHE_KEY

        def forget_territories(**kwargs):
            cache.delete(TERRITORY_CACHE_KEY)

        for signal in (post_save, post_delete):
            signal.connect(forget_territories, sender=Territory, dispatch_uid="territory-countries")
        for through in (Community.themes.through, Community.territories.through):
            m2m_changed.connect(forget_after_commit, sender=through, dispatch_uid=f"pub-{through}")
