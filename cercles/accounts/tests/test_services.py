import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from cercles.accounts import services
from cercles.accounts.avatars import reencode_avatar
from cercles.core.audit import events_for
from cercles.core.models import AuditEvent
from cercles.taxonomy.models import Skill, Theme

from .factories import CoordinatorFactory, UserFactory


def png_upload(name="photo.png", size=(400, 300), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def profile_arguments(**changes):
    arguments = {
        "themes": [],
        "skill_names": [],
        "display_name": "Awa Cissé",
        "organisation": "Association Solidarité Kaolack",
        "job_title": "Animatrice",
        "country": "SN",
        "region": "Kaolack",
        "spoken_languages": ["fr", "wo"],
        "bio": "J'anime des **ateliers**.",
        "looking_for": "Des partenaires.",
        "language": "en",
        "timezone": "Africa/Dakar",
    }
    arguments.update(changes)
    return arguments


class TestUpdateProfile:
    def test_saves_fields_themes_and_skills(self, member):
        themes = list(Theme.objects.filter(sdg_number__in=[4, 6]))
        services.update_profile(
            member,
            member,
            **profile_arguments(themes=themes, skill_names=["Plaidoyer", "Cartographie"]),
        )
        member.refresh_from_db()
        assert member.display_name == "Awa Cissé"
        assert member.organisation == "Association Solidarité Kaolack"
        assert member.job_title == "Animatrice"
        assert member.country.code == "SN"
        assert member.region == "Kaolack"
        assert member.spoken_languages == ["fr", "wo"]
        assert member.bio == "J'anime des **ateliers**."
        assert member.looking_for == "Des partenaires."
        assert member.language == "en"
        assert member.timezone == "Africa/Dakar"
        assert set(member.themes.all()) == set(themes)
        assert sorted(s.name for s in member.skills.all()) == ["Cartographie", "Plaidoyer"]

    def test_records_an_audit_event(self, member):
        services.update_profile(member, member, **profile_arguments())
        event = events_for(member).get()
        assert event.action == "profile.updated"
        assert event.actor == member

    def test_replaces_themes_and_skills(self, member):
        services.update_profile(
            member,
            member,
            **profile_arguments(themes=[Theme.objects.get(sdg_number=1)], skill_names=["Budget"]),
        )
        services.update_profile(
            member,
            member,
            **profile_arguments(
                themes=[Theme.objects.get(sdg_number=2)], skill_names=["Formation"]
            ),
        )
        assert [t.sdg_number for t in member.themes.all()] == [2]
        assert [s.name for s in member.skills.all()] == ["Formation"]

    def test_reuses_existing_skills_case_insensitively(self, member, other_member):
        existing = Skill.objects.create(name="Gestion de projet", slug="gestion-de-projet")
        services.update_profile(
            member,
            member,
            **profile_arguments(skill_names=["gestion DE projet", "GESTION DE PROJET"]),
        )
        assert list(member.skills.all()) == [existing]
        assert Skill.objects.count() == 1

    def test_refuses_to_change_another_persons_profile(self, member, other_member):
        before = other_member.display_name
        with pytest.raises(PermissionDenied):
            services.update_profile(member, other_member, **profile_arguments())
        other_member.refresh_from_db()
        assert other_member.display_name == before
        assert not AuditEvent.objects.exists()

    def test_coordinator_cannot_change_someone_elses_profile(self, coordinator, member):
        with pytest.raises(PermissionDenied):
            services.update_profile(coordinator, member, **profile_arguments())

    def test_rejects_unknown_fields(self, member):
        with pytest.raises(TypeError):
            services.update_profile(member, member, **profile_arguments(is_coordinator=True))
        member.refresh_from_db()
        assert not member.is_coordinator

    def test_invalid_values_are_refused(self, member):
        with pytest.raises(ValidationError):
            services.update_profile(member, member, **profile_arguments(timezone="Mars/Olympus"))
        member.refresh_from_db()
        assert member.timezone != "Mars/Olympus"

    def test_stores_new_avatar(self, member):
        services.update_profile(
            member, member, **profile_arguments(new_avatar=reencode_avatar(png_upload()))
        )
        member.refresh_from_db()
        assert member.avatar.name.startswith("avatars/")
        assert member.avatar.storage.exists(member.avatar.name)

    def test_deletes_the_old_avatar_file_when_replaced(
        self, member, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.update_profile(
                member, member, **profile_arguments(new_avatar=reencode_avatar(png_upload()))
            )
        old_name = member.avatar.name
        storage = member.avatar.storage
        assert storage.exists(old_name)
        with django_capture_on_commit_callbacks(execute=True):
            services.update_profile(
                member, member, **profile_arguments(new_avatar=reencode_avatar(png_upload()))
            )
        member.refresh_from_db()
        assert member.avatar.name != old_name
        assert storage.exists(member.avatar.name)
        assert not storage.exists(old_name)

    def test_removing_the_avatar_deletes_the_file(self, member, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            services.update_profile(
                member, member, **profile_arguments(new_avatar=reencode_avatar(png_upload()))
            )
        old_name = member.avatar.name
        with django_capture_on_commit_callbacks(execute=True):
            services.update_profile(member, member, **profile_arguments(remove_avatar=True))
        member.refresh_from_db()
        assert not member.avatar
        assert not member.avatar.storage.exists(old_name)

    def test_keeps_the_avatar_when_none_is_given(self, member, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            services.update_profile(
                member, member, **profile_arguments(new_avatar=reencode_avatar(png_upload()))
            )
        name = member.avatar.name
        with django_capture_on_commit_callbacks(execute=True):
            services.update_profile(member, member, **profile_arguments(display_name="Autre"))
        member.refresh_from_db()
        assert member.avatar.name == name
        assert member.avatar.storage.exists(name)


class TestCoordinatorRole:
    @pytest.fixture(autouse=True)
    def _in_english(self):
        with translation.override("en"):
            yield

    def test_grant_makes_a_coordinator_and_records_it(self, coordinator, member):
        services.grant_coordinator_role(coordinator, member)
        member.refresh_from_db()
        assert member.is_coordinator
        event = events_for(member).get()
        assert event.action == "role.coordinator_granted"
        assert event.actor == coordinator

    def test_grant_to_a_coordinator_is_an_error(self, coordinator):
        other = CoordinatorFactory()
        with pytest.raises(ValidationError, match="already a coordinator"):
            services.grant_coordinator_role(coordinator, other)
        assert not AuditEvent.objects.exists()

    def test_member_cannot_grant(self, member, other_member):
        with pytest.raises(PermissionDenied):
            services.grant_coordinator_role(member, other_member)
        other_member.refresh_from_db()
        assert not other_member.is_coordinator

    def test_member_cannot_grant_themself(self, member):
        with pytest.raises(PermissionDenied):
            services.grant_coordinator_role(member, member)
        member.refresh_from_db()
        assert not member.is_coordinator

    def test_revoke_removes_the_role_and_records_it(self, coordinator):
        other = CoordinatorFactory()
        services.revoke_coordinator_role(coordinator, other)
        other.refresh_from_db()
        assert not other.is_coordinator
        event = events_for(other).get()
        assert event.action == "role.coordinator_revoked"
        assert event.actor == coordinator

    def test_a_coordinator_may_step_down_when_another_remains(self, coordinator):
        CoordinatorFactory()
        services.revoke_coordinator_role(coordinator, coordinator)
        coordinator.refresh_from_db()
        assert not coordinator.is_coordinator

    def test_refuses_to_remove_the_last_coordinator(self, coordinator):
        with pytest.raises(ValidationError, match="at least one coordinator"):
            services.revoke_coordinator_role(coordinator, coordinator)
        coordinator.refresh_from_db()
        assert coordinator.is_coordinator
        assert not AuditEvent.objects.exists()

    def test_inactive_coordinators_do_not_count_as_remaining(self, coordinator):
        CoordinatorFactory(is_active=False)
        with pytest.raises(ValidationError):
            services.revoke_coordinator_role(coordinator, coordinator)

    def test_superuser_cannot_remove_the_last_coordinator(self, db):
        admin = UserFactory(is_superuser=True)
        only = CoordinatorFactory()
        with pytest.raises(ValidationError):
            services.revoke_coordinator_role(admin, only)

    def test_revoke_from_a_member_is_an_error(self, coordinator, member):
        with pytest.raises(ValidationError, match="not a coordinator"):
            services.revoke_coordinator_role(coordinator, member)

    def test_member_cannot_revoke(self, member, coordinator):
        CoordinatorFactory()
        with pytest.raises(PermissionDenied):
            services.revoke_coordinator_role(member, coordinator)
        coordinator.refresh_from_db()
        assert coordinator.is_coordinator


def test_set_language_preference(member):
    services.set_language_preference(member, "en")
    member.refresh_from_db()
    assert member.language == "en"
