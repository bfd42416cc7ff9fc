"""Demo people: 3 coordinators and about 60 practitioners from 16 organisations."""

import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from cercles.taxonomy.models import Skill, Theme

from .models import User

DEMO_PASSWORD = "cercles-demo"

# (organisation, country, region, time zone, first names, last names, languages)
ORGANISATIONS = [
    ("Réseau Eau Vive Sahel", "SN", "Thiès", "Africa/Dakar",
     ["Aïssatou", "Mamadou", "Fatou", "Ousmane"], ["Ndiaye", "Sow", "Fall", "Diallo"], ["fr", "wo"]),
    ("Association Solidarité Kaolack", "SN", "Kaolack", "Africa/Dakar",
     ["Khady", "Ibrahima", "Awa"], ["Sarr", "Faye", "Cissé"], ["fr", "wo", "ff"]),
    ("Commune de Ouahigouya", "BF", "Nord", "Africa/Ouagadougou",
     ["Jean-Baptiste", "Salamata", "Boukary", "Rasmata"], ["Kaboré", "Ouédraogo", "Sawadogo"], ["fr", "mos"]),
    ("ONG Tiipaalga", "BF", "Centre", "Africa/Ouagadougou",
     ["Adama", "Mariam", "Issouf"], ["Compaoré", "Zongo", "Traoré"], ["fr", "mos", "dyu"]),
    ("Mairie de Cotonou", "BJ", "Littoral", "Africa/Porto-Novo",
     ["Rodrigue", "Chimène", "Fiacre", "Armelle"], ["Houngbédji", "Agossou", "Dossou"], ["fr", "fon"]),
    ("Centre Afrika Obota", "BJ", "Atlantique", "Africa/Porto-Novo",
     ["Gildas", "Prisca", "Euloge"], ["Akpovi", "Hounkpatin", "Tossou"], ["fr", "fon", "yo"]),
    ("ONG Ivoire Développement Durable", "CI", "Abidjan", "Africa/Abidjan",
     ["Konan", "Adjoua", "Yao", "Mariam"], ["Kouassi", "N'Guessan", "Koné"], ["fr", "dyu"]),
    ("Coopérative des femmes de Bouaké", "CI", "Gbêkê", "Africa/Abidjan",
     ["Affoué", "Aya", "Akissi"], ["Kouadio", "Yao", "Bamba"], ["fr", "dyu"]),
    ("Fondation Tany Maitso", "MG", "Analamanga", "Indian/Antananarivo",
     ["Hery", "Voahangy", "Tahina", "Lalao"], ["Rakotomalala", "Randrianarisoa", "Andriamihaja"], ["fr", "mg"]),
    ("Konbit pour l'éducation", "HT", "Ouest", "America/Port-au-Prince",
     ["Widline", "Jean-Robert", "Marie-Ange", "Stevenson"], ["Pierre", "Joseph", "Saint-Fleur"], ["fr", "ht"]),
    ("Cités Unies Québec", "CA", "Capitale-Nationale", "America/Toronto",
     ["Geneviève", "Mathieu", "Isabelle"], ["Tremblay", "Gagnon", "Bouchard"], ["fr", "en"]),
    ("Collectif Citoyenneté Mondiale Montréal", "CA", "Montréal", "America/Toronto",
     ["Karine", "Olivier", "Nadia", "Félix"], ["Roy", "Côté", "Lavoie"], ["fr", "en", "es"]),
    ("Maison des Jeunes d'Ixelles", "BE", "Bruxelles-Capitale", "Europe/Brussels",
     ["Sarah", "Thomas", "Inès"], ["Peeters", "Janssens", "El Amrani"], ["fr", "nl", "ar"]),
    ("Fédération Éducation Populaire Wallonie", "BE", "Namur", "Europe/Brussels",
     ["Julie", "Maxime", "Élodie"], ["Lambert", "Dupont", "Leclercq"], ["fr"]),
    ("Lyon Métropole Coopération", "FR", "Auvergne-Rhône-Alpes", "Europe/Paris",
     ["Camille", "Nicolas", "Léa", "Hugo"], ["Martin", "Bernard", "Moreau"], ["fr", "en"]),
    ("Coordination Sud Solidarités", "FR", "Île-de-France", "Europe/Paris",
     ["Amélie", "Youssef", "Claire"], ["Fontaine", "Benali", "Girard"], ["fr", "en", "ar"]),
]  # fmt: skip

JOB_TITLES = [
    "Chargée de projets", "Animateur de réseau", "Coordinatrice de programmes",
    "Responsable eau et assainissement", "Agent de développement local", "Formatrice",
    "Directeur", "Chargé de plaidoyer", "Conseillère municipale", "Animatrice jeunesse",
    "Responsable suivi-évaluation", "Chargé de communication",
]  # fmt: skip

SKILLS = [
    "Animation de groupe", "Gestion de projet", "Suivi-évaluation", "Plaidoyer",
    "Mobilisation communautaire", "Gestion de l'eau", "Formation d'adultes", "Cartographie",
    "Recherche de financements", "Communication", "Facilitation", "Budget participatif",
    "Agroécologie", "Microfinance", "Éducation populaire",
]  # fmt: skip

LOOKING_FOR = [
    "Des retours d'expérience sur la gestion communautaire des forages.",
    "Des partenaires pour un projet d'éducation à la citoyenneté dans les écoles.",
    "Échanger avec d'autres communes sur le budget participatif.",
    "Des outils simples de suivi-évaluation pour de petites associations.",
    "Rencontrer des jeunes entrepreneurs et des structures d'accompagnement.",
]  # fmt: skip

# The three accounts named in the README, then the other coordinators.
NAMED_ACCOUNTS = [
    ("coordination@demo.test", "Amélie Fontaine", 15, "Coordinatrice du réseau", True),
    ("porteuse@demo.test", "Aïssatou Ndiaye", 0, "Chargée de projets eau et assainissement", False),
    ("membre@demo.test", "Jean-Baptiste Kaboré", 2, "Agent de développement local", False),
    ("youssef.benali@demo.test", "Youssef Benali", 15, "Chargé d'accompagnement des communautés", True),
    ("isabelle.bouchard@demo.test", "Isabelle Bouchard", 10, "Coordinatrice des partenariats", True),
]  # fmt: skip

MEMBER_COUNT = 60


def _email_for(name):
    from django.utils.text import slugify

    return f"{slugify(name).replace('-', '.')}@demo.test"


def seed(stdout):
    rng = random.Random(2026)
    password = make_password(DEMO_PASSWORD)
    themes = list(Theme.objects.all())
    skills = [
        Skill.objects.get_or_create(slug=Skill.slug_for(n), defaults={"name": n})[0] for n in SKILLS
    ]

    people = [
        (email, name, org_index, title, coordinator)
        for email, name, org_index, title, coordinator in NAMED_ACCOUNTS
    ]
    taken = {name for _, name, *_ in people}
    index = 0
    while len(people) < MEMBER_COUNT + 3:
        org_index = index % len(ORGANISATIONS)
        _, _, _, _, first_names, last_names, _ = ORGANISATIONS[org_index]
        name = f"{rng.choice(first_names)} {rng.choice(last_names)}"
        index += 1
        if name in taken:
            continue
        taken.add(name)
        people.append((_email_for(name), name, org_index, rng.choice(JOB_TITLES), False))

    created = 0
    for email, name, org_index, title, coordinator in people:
        organisation, country, region, tz, _, _, languages = ORGANISATIONS[org_index]
        person, is_new = User.objects.get_or_create(
            email=email,
            defaults={
                "username": email.split("@")[0].replace(".", "-")[:150],
                "password": password,
                "display_name": name,
                "organisation": organisation,
                "job_title": title,
                "country": country,
                "region": region,
                "timezone": tz,
                "spoken_languages": languages,
                "is_coordinator": coordinator,
                "bio": (
                    f"{title} à **{organisation}**. "
                    "J'anime des démarches participatives avec les acteurs du territoire."
                ),
                "looking_for": rng.choice(LOOKING_FOR),
                "sought_objectives": rng.sample(
                    ["exchange", "solutions", "testing", "change"], k=2
                ),
            },
        )
        EmailAddress.objects.get_or_create(
            user=person, email=email, defaults={"verified": True, "primary": True}
        )
        if is_new:
            created += 1
            person.themes.set(rng.sample(themes, k=3))
            person.skills.set(rng.sample(skills, k=3))

    admin, is_new = User.objects.get_or_create(
        email="admin@demo.test",
        defaults={
            "username": "admin",
            "password": password,
            "display_name": "Administration",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    EmailAddress.objects.get_or_create(
        user=admin, email=admin.email, defaults={"verified": True, "primary": True}
    )
    stdout.write(f"People: {created} created, {User.objects.count()} in all.")
