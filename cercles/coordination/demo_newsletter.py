"""Demo newsletters: one sent last month (in the archive, with its sending report) and this
month's draft compiled from the demo network's news."""

import datetime

from django.utils import timezone

from cercles.accounts.models import User
from cercles.notifications.models import EmailDelivery, EmailStatus, SuppressedAddress

from . import services
from .models import Newsletter

SENT_SUBJECT = "Nouvelles du réseau – le mois dernier"

SENT_BODY = """Bonjour à toutes et à tous,

Le réseau compte désormais plusieurs communautés actives, du Sahel à Montréal. Voici ce qui
a bougé ce mois-ci.

## Des communautés qui recrutent

- **Eau et assainissement au Sahel** cherche des praticiens des contrats d'entretien des forages.
- **Citoyenneté mondiale** accueille des animatrices et animateurs jeunesse.

## À la une : le diagnostic des forages de Kaya

En trois semaines, la communauté a recensé 27 forages, dont 9 en panne. Les comités de gestion
de Kaya ont partagé leurs carnets d'entretien : ils serviront de base au futur guide.

## Appel à contributions

Vous avez l'expérience des contrats d'entretien entre communes et artisans réparateurs ?
Écrivez à la communauté : votre relecture est précieuse.

Bonne lecture, et à bientôt sur Cercles !
"""


def seed(stdout):
    coordinator = User.objects.filter(email="coordination@demo.test").first()
    if coordinator is None or Newsletter.objects.exists():
        stdout.write(f"Newsletters: {Newsletter.objects.count()} already there.")
        return
    today = timezone.localdate()
    last_month = today - datetime.timedelta(days=30)
    sent = services.create_newsletter(
        coordinator, period_start=last_month - datetime.timedelta(days=30), period_end=last_month
    )
    services.update_newsletter(coordinator, sent, subject=SENT_SUBJECT, body=SENT_BODY)
    # Sent through the real service; the demo's emails stay in memory (see seed_demo).
    services.send_newsletter(coordinator, sent)
    Newsletter.objects.filter(pk=sent.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=28)
    )
    # One address refused by its mail server: shown to the coordinators, stopped since.
    person = (
        User.objects.filter(email__endswith="@demo.test", is_coordinator=False)
        .order_by("-pk")
        .first()
    )
    if person is not None:
        error = f"SMTPRecipientsRefused: 550 5.1.1 <{person.email}>: Recipient address rejected"
        EmailDelivery.objects.get_or_create(
            key="notification:demo-bounce",
            user=person,
            defaults={"address": person.email, "status": EmailStatus.BOUNCED, "error": error},
        )
        SuppressedAddress.objects.get_or_create(
            address=person.email.lower(), defaults={"reason": error}
        )
    services.create_newsletter(coordinator, period_start=last_month, period_end=today)
    stdout.write("Newsletters: one sent last month, this month's draft compiled.")
