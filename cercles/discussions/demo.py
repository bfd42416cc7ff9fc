"""Demo discussions: lively threads in each active community, mentions, a file, and two
co-development sessions (one closed with its follow-up). Built through the services."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from cercles.communities.models import Community, MembershipStatus, Role
from cercles.communities.rules import membership_of

from . import services
from .models import Post, Thread

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)

# (title, days ago, [(speaker index, text)]); "{0}", "{1}"… are @usernames of the speakers.
THREADS = {
    "eau-assainissement-sahel": [
        ("Comment financer l'entretien des forages ?", 12, [
            (0, "Dans notre commune, les comités collectent 100 FCFA par famille et par mois, "
                "mais la moitié des familles ne paient pas. Comment faites-vous ?"),
            (1, "Chez nous, la vente au bidon marche mieux que la cotisation mensuelle : "
                "on paie ce qu'on consomme. Les recettes ont doublé en un an."),
            (2, "Même constat à Kaolack. {1}, tu pourrais partager votre **registre de ventes** ?"),
            (1, "Bien sûr, je le joins à mon prochain message. Attention : il faut un fontainier "
                "payé, sinon personne ne tient la caisse."),
            (3, "Nous avons ouvert un compte d'épargne à la caisse populaire pour les grosses "
                "réparations : la pompe a été changée sans attendre la mairie."),
        ]),
        ("Compte rendu de l'atelier de Thiès", 6, [
            (0, "Merci à toutes et tous pour l'atelier ! Le compte rendu est en pièce jointe. "
                "{2}, peux-tu compléter la partie sur les latrines scolaires ?"),
            (2, "C'est fait, j'ai ajouté les trois écoles visitées et les coûts."),
            (4, "Très utile. Prochaine étape : on teste la grille d'auto-évaluation des comités "
                "dans nos villages avant la fin du mois ?"),
        ]),
        ("Chloration de l'eau des puits : vos retours", 2, [
            (3, "Quelqu'un a-t-il essayé la chloration au niveau des puits traditionnels ? "
                "Les familles se plaignent du goût."),
            (4, "Oui, avec des relais communautaires formés. Le goût passe mieux si on explique "
                "pourquoi, avant de commencer. {3}, je t'envoie notre fiche de sensibilisation."),
        ]),
    ],
    "citoyennete-mondiale": [
        ("Parler des ODD avec des ados de 12 ans", 9, [
            (0, "Je cherche des activités courtes (30 min) pour introduire les ODD à des "
                "jeunes de 12 ans. Vos idées ?"),
            (1, "Le **jeu des chaises** sur la répartition des richesses marche à tous les coups."),
            (2, "On part d'un objet du quotidien (un t-shirt) et on remonte sa fabrication. "
                "{0}, je peux te passer la fiche animateur."),
            (0, "Merci {2} ! Je la teste mercredi et je vous raconte."),
        ]),
        ("Mallette pédagogique : qui relit quoi ?", 3, [
            (0, "Voici le découpage proposé pour la relecture de la mallette : {1} la partie "
                "Québec, {3} la partie Afrique de l'Ouest. Ça vous va ?"),
            (1, "Ça me va, je rends ma relecture vendredi."),
            (3, "Parfait pour moi aussi."),
        ]),
    ],
    "agroecologie-madagascar": [
        ("Paillage en saison sèche : quelle épaisseur ?", 8, [
            (0, "Sur nos parcelles de démonstration, 5 cm de paillage ne suffisent pas en "
                "octobre. Vous montez à combien ?"),
            (1, "Nous sommes passés à 10 cm avec des résidus de riz : l'humidité tient deux "
                "semaines de plus."),
            (2, "Attention aux termites au-delà de 10 cm. {1}, vous avez eu le problème ?"),
            (1, "Un peu, on alterne avec du Tephrosia qui les éloigne."),
        ]),
        ("Organisation des visites croisées de mars", 4, [
            (0, "Il faut caler les dates des visites croisées entre Antsirabe et Ambositra. "
                "{1} et {2}, vos disponibilités ?"),
            (2, "Deuxième semaine de mars pour nous."),
        ]),
    ],
}  # fmt: skip

CODEV = [
    {
        "community": "eau-assainissement-sahel",
        "title": "Le comité de gestion ne se réunit plus",
        "context": "Dans le village de Ndiaganiao, le comité de gestion du forage a été élu il y "
        "a deux ans. Depuis six mois, il ne se réunit plus : le président est parti travailler "
        "à Dakar et le trésorier garde la caisse chez lui.",
        "question": "Comment relancer le comité sans froisser le chef de village, qui a choisi "
        "le président ?",
        "tried": "Des rappels par téléphone et une lettre de la mairie, sans effet.",
        "suggestions": [
            "Nous avons organisé une assemblée villageoise autour d'une panne : le problème "
            "concret a fait venir tout le monde, et le comité a été renouvelé sur place.",
            "Passe d'abord voir le chef de village seul, pour qu'il porte lui-même l'idée "
            "du renouvellement. Chez nous, c'est ce qui a tout débloqué.",
            "Demandez que la caisse soit tenue à la mairie ou à la caisse populaire : "
            "la transparence redonne confiance.",
        ],
        "helpful": [0, 1],
        "follow_up": "J'ai rencontré le chef de village, qui a convoqué l'assemblée lui-même. "
        "Un nouveau bureau a été élu, avec deux femmes, et la caisse est maintenant déposée à "
        "la caisse populaire. Merci pour vos conseils : la visite au chef a tout changé.",
    },
    {
        "community": "eau-assainissement-sahel",
        "title": "Faire payer l'eau aux familles les plus pauvres ?",
        "context": "Avec la vente au bidon, certaines familles très pauvres reviennent au puits "
        "traditionnel, et les cas de diarrhée remontent.",
        "question": "Comment garder un prix juste sans exclure les plus pauvres ?",
        "tried": "",
        "suggestions": [
            "Nous avons une liste de familles exonérées, validée en assemblée chaque année.",
            "Un tarif social le matin, réservé aux enfants qui viennent chercher l'eau, "
            "a bien fonctionné dans deux de nos villages.",
        ],
        "helpful": [0],
        "follow_up": "",
    },
]


def _speakers(community):
    """Active members, most involved first, so that the lead and the core speak first."""
    order = {Role.LEAD: 0, Role.CO_LEAD: 1, Role.CORE: 2, Role.INNER: 3, Role.OUTER: 4}
    memberships = community.memberships.filter(status=MembershipStatus.ACTIVE).select_related(
        "user"
    )
    ranked = sorted(memberships, key=lambda m: (order.get(m.role, 5), m.user.email))
    return [m.user for m in ranked]


def _backdate(thread, days_ago):
    """Spread the posts over the days since the thread started, as if it had lived."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    posts = list(thread.posts.order_by("id"))
    step = datetime.timedelta(days=days_ago) / (len(posts) + 1)
    for index, post in enumerate(posts):
        Post.objects.filter(pk=post.pk).update(created_at=start + step * index)
    last = thread.posts.aggregate(last=Max("created_at"))["last"]
    Thread.objects.filter(pk=thread.pk).update(created_at=start, last_activity_at=last)


def _say(people, text):
    return text.format(*[f"@{p.username}" for p in people])


def _fresh(community):
    community.__dict__.pop("_membership_cache", None)
    return community


def seed(stdout):
    created = 0
    for slug, threads in THREADS.items():
        community = Community.objects.filter(slug=slug).first()
        if community is None or community.threads.exists():
            continue
        people = _speakers(community)
        if len(people) < 5:
            people = (people * 5)[:5]
        for number, (title, days_ago, posts) in enumerate(threads):
            first_speaker, first_text = posts[0]
            uploads = []
            if slug == "eau-assainissement-sahel" and number == 1:
                uploads = [SimpleUploadedFile("compte-rendu-atelier-thies.pdf", DEMO_PDF)]
            thread = services.start_thread(
                people[first_speaker],
                _fresh(community),
                title=title,
                body=_say(people, first_text),
                uploads=uploads,
            )
            for speaker, text in posts[1:]:
                services.reply(people[speaker], thread, body=_say(people, text))
            _backdate(thread, days_ago)
            created += 1
        if slug == "eau-assainissement-sahel":
            services.set_pinned(community.lead, community.threads.order_by("id")[1], True)
    for spec in CODEV:
        community = Community.objects.filter(slug=spec["community"]).first()
        if community is None or community.threads.filter(title=spec["title"]).exists():
            continue
        people = _speakers(community)
        presenter = next(
            (p for p in reversed(people) if membership_of(p, _fresh(community))), people[-1]
        )
        peers = [p for p in people if p != presenter][: len(spec["suggestions"])]
        thread = services.start_codev(
            presenter,
            _fresh(community),
            title=spec["title"],
            context=spec["context"],
            question=spec["question"],
            tried=spec["tried"],
        )
        suggestions = [
            services.reply(peer, thread, body=text)
            for peer, text in zip(peers, spec["suggestions"], strict=False)
        ]
        for index in spec["helpful"]:
            services.mark_helpful(presenter, suggestions[index])
        if spec["follow_up"]:
            services.post_follow_up(presenter, thread, body=spec["follow_up"])
        _backdate(thread, 20 if spec["follow_up"] else 5)
        created += 1
    stdout.write(f"Discussions: {created} threads and sessions created.")
