"""Demo of the data features: API tokens, an imported list of members waiting for its
confirmation and one already sent, a community export and a personal archive ready to download,
and a practitioner who left the network, whose posts now read "ancien membre"."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cercles.accounts import services as accounts
from cercles.accounts.models import ApiToken, PersonalDataExport, User
from cercles.communities import services as communities
from cercles.communities.lifecycle import JOINABLE_STATES
from cercles.communities.models import (
    Community,
    CommunityExport,
    Involvement,
    Membership,
    Role,
)
from cercles.discussions import services as discussions
from cercles.discussions.models import Thread

PORTEUSE = "porteuse@demo.test"
MEMBRE = "membre@demo.test"
COORDINATION = "coordination@demo.test"

IMPORT_WAITING = """email;nom;organisation;objectif;implication
mariama.ba@exemple.org;Mariama Ba;Comité de gestion de Thiès;Comparer nos tarifs de l'eau;actif
cheikh.diop@exemple.org;Cheikh Diop;Mairie de Mbour;Suivre les travaux du groupe;observateur
{member};{member_name};;;
adresse-sans-arobase;Paul Martin;;;
mariama.ba@exemple.org;Mariama Ba (doublon);;;
aminata.sy@exemple.org;=HYPERLINK("http://exemple.org");;;
"""
LEAVING_COMMUNITY = "eau-assainissement-sahel"
IMPORT_SENT = """courriel,nom,organisation,implication
khadija.tall@exemple.org,Khadija Tall,ONG Eau Vive,occasionnel
ibou.ndour@exemple.org,Ibou Ndour,Commune de Fatick,actif
"""


def seed(stdout):
    porteuse = User.objects.filter(email=PORTEUSE).first()
    membre = User.objects.filter(email=MEMBRE).first()
    coordinator = User.objects.filter(email=COORDINATION).first()
    if porteuse is None or membre is None or coordinator is None:
        return
    done = []
    if not ApiToken.objects.filter(user=porteuse).exists():
        accounts.create_api_token(porteuse, name="Site web du réseau", scope="read",
                                  lifetime_days=365)  # fmt: skip
        token, _raw = accounts.create_api_token(
            porteuse, name="Tableur de suivi (ancien)", scope="write", lifetime_days=30
        )
        accounts.revoke_api_token(porteuse, token)
        done.append("API tokens")
    community = (
        Community.objects.filter(lead=porteuse, state__in=JOINABLE_STATES).order_by("pk").first()
    )
    if community is not None and not community.member_imports.exists():
        sent = communities.preview_member_import(
            porteuse,
            community,
            SimpleUploadedFile("invites-atelier-fatick.csv", IMPORT_SENT.encode("cp1252")),
            message="Bienvenue ! Notre prochaine rencontre est annoncée dans l'onglet Rencontres.",
        )
        communities.confirm_member_import(porteuse, sent)
        member = community.memberships.filter(role=Role.INNER).select_related("user").first()
        text = IMPORT_WAITING.format(
            member=member.user.email if member else "membre@demo.test",
            member_name=member.user.name if member else "Membre",
        )
        communities.preview_member_import(
            porteuse, community, SimpleUploadedFile("participants-forum.csv", text.encode())
        )
        done.append("member imports")
    if community is not None and not CommunityExport.objects.filter(community=community).exists():
        communities.request_export(porteuse, community)
        done.append("a community export")
    if not PersonalDataExport.objects.filter(user=membre).exists():
        accounts.request_personal_data(membre)
        done.append("a personal archive")
    thread = Thread.objects.filter(community__slug=LEAVING_COMMUNITY).order_by("pk").first()
    if thread is not None and not User.objects.filter(deleted_at__isnull=False).exists():
        _someone_who_left(coordinator, thread)
        done.append("a deleted account")
    stdout.write(f"Data: {', '.join(done) or 'nothing new'}.")


def _someone_who_left(coordinator, thread):
    """A practitioner who took part, then asked a coordinator to delete their account: their
    reply stays in the thread, signed "ancien membre"."""
    community = thread.community
    person = User.objects.create_user(
        username="lamine-faye",
        email="lamine.faye@demo.test",
        password=None,
        display_name="Lamine Faye",
        organisation="Comité de l'eau de Kaffrine",
        country="SN",
    )
    Membership.objects.create(
        community=community,
        user=person,
        role=Role.INNER,
        involvement=Involvement.ACTIVE,
        joined_at=timezone.now(),
        objective="Trouver des solutions pour les pompes solaires.",
    )
    communities.refresh_member_count(community)
    discussions.reply(
        person,
        thread,
        body="Chez nous, le comité a confié l'entretien à un artisan formé : "
        "trois pannes réparées en un mois, sans attendre le service technique.",
    )
    accounts.delete_account(
        coordinator,
        person,
        reason="Demande de la personne par courriel : elle quitte son organisation.",
    )
