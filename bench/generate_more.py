"""Bench rows for life inside communities: threads and posts, meetings, library items."""

import datetime

from .generate import _bulk, paragraph, register_part, sentence


def seed_discussions(ctx):
    from cercles.communities.models import Membership
    from cercles.discussions.models import Post, Thread

    rng = ctx.rng
    active = [c for c in ctx.communities if c.state in ("active", "open")]
    members = {}
    for community_id, user_id in Membership.objects.values_list("community_id", "user_id"):
        members.setdefault(community_id, []).append(user_id)
    threads = []
    for i in range(ctx.scale.threads):
        community = active[i % len(active)]
        threads.append(Thread(
            community=community, title=sentence(rng, 6)[:-1], author_id=community.lead_id,
            kind="codev" if i % 10 == 0 else "regular",
            created_at=ctx.now - datetime.timedelta(days=rng.randint(1, 200)),
        ))  # fmt: skip
    _bulk(Thread, threads)
    threads = list(Thread.objects.order_by("pk"))
    ctx.big_thread = threads[0]
    body = [paragraph(rng, 800) for _ in range(50)]  # a pool keeps generation fast
    posts = []
    remaining = ctx.scale.posts - ctx.scale.big_thread_posts
    per_thread = {thread.pk: 1 for thread in threads}
    for _ in range(max(0, remaining - len(threads))):
        per_thread[rng.choice(threads[1:]).pk] += 1
    per_thread[ctx.big_thread.pk] = ctx.scale.big_thread_posts
    by_pk = {thread.pk: thread for thread in threads}
    for thread_pk, count in per_thread.items():
        thread = by_pk[thread_pk]
        authors = members.get(thread.community_id) or [thread.author_id]
        for k in range(count):
            posts.append(Post(
                thread_id=thread_pk, author_id=rng.choice(authors), body=rng.choice(body),
                created_at=thread.created_at + datetime.timedelta(minutes=k),
                kind="problem" if thread.kind == "codev" and k == 0 else
                ("suggestion" if thread.kind == "codev" else "message"),
            ))  # fmt: skip
        if len(posts) >= 20_000:
            _bulk(Post, posts)
            posts = []
    _bulk(Post, posts)
    # Counters the services keep: post count, last activity, last post.
    from django.db.models import Count, Max

    stats = Post.objects.values("thread_id").annotate(n=Count("id"), last=Max("id"))
    last_times = dict(Post.objects.filter(
        pk__in=[row["last"] for row in stats]).values_list("pk", "created_at"))  # fmt: skip
    updated = []
    for row in stats:
        thread = by_pk[row["thread_id"]]
        thread.post_count = row["n"]
        thread.last_post_id = row["last"]
        thread.last_activity_at = last_times[row["last"]]
        updated.append(thread)
    Thread.objects.bulk_update(updated, ["post_count", "last_post", "last_activity_at"],
                               batch_size=2000)  # fmt: skip


def seed_meetings(ctx):
    from cercles.meetings.models import Meeting

    rng = ctx.rng
    active = [c for c in ctx.communities if c.state in ("active", "open")]
    rows = []
    for i in range(ctx.scale.meetings):
        community = active[i % len(active)]
        start = ctx.now + datetime.timedelta(days=rng.randint(-300, 90), hours=rng.randint(0, 8))
        past = start < ctx.now
        rows.append(Meeting(
            community=community, kind="regular", title=sentence(rng, 5)[:-1], starts_at=start,
            ends_at=start + datetime.timedelta(hours=2), time_zone="Africa/Dakar",
            place="Salle communale" if i % 2 else "", online_url="" if i % 2 else
            "https://visio.example.org/cercles", agenda=paragraph(rng, 300),
            minutes=paragraph(rng, 600) if past else "",
            minutes_published_at=start + datetime.timedelta(days=1) if past else None,
            created_by_id=community.lead_id,
        ))  # fmt: skip
    _bulk(Meeting, rows)


def seed_library(ctx):
    from cercles.library.models import Item

    rng = ctx.rng
    communities = ctx.communities
    rows = []
    for i in range(ctx.scale.library_items):
        community = communities[i % len(communities)]
        kind = ["note", "link", "note"][i % 3]
        rows.append(Item(
            community=community, kind=kind, title=sentence(rng, 5)[:-1],
            author_id=community.lead_id, body=paragraph(rng, 800) if kind == "note" else "",
            url="https://ressources.example.org/guide" if kind == "link" else "",
            keep_in_legacy=i % 4 == 0,
        ))  # fmt: skip
    _bulk(Item, rows)


def seed_notifications(ctx):
    """Ten notifications per person, most of them read; the lead of the largest community, who
    hears of everything there, has two hundred times more."""
    from cercles.discussions.models import Thread
    from cercles.notifications.models import Notification

    rng = ctx.rng
    threads = list(Thread.objects.select_related("community").order_by("pk")[:200])
    big_lead = ctx.big_community.lead_id if ctx.big_community else None
    rows = []
    for person in ctx.people:
        count = 2_000 if person.pk == big_lead else 10
        for k in range(count):
            thread = rng.choice(threads)
            rows.append(Notification(
                recipient_id=person.pk, kind="discussions.reply",
                actor_id=thread.author_id, url=f"/communities/{thread.community.slug}/",
                params={"actor": "Awa Diallo", "thread": thread.title,
                        "community": thread.community.title},
                read_at=None if k % 10 == 0 else ctx.now,
            ))  # fmt: skip
        if len(rows) >= 20_000:
            _bulk(Notification, rows)
            rows = []
    _bulk(Notification, rows)


def seed_surveys(ctx):
    """Closed expectations surveys (the template's 7 questions plus 3 of the community's own),
    six per community from the largest one on, each with `survey_answers` anonymous answers."""
    from cercles.surveys.models import (
        AnswerValue,
        Question,
        Response,
        Survey,
        SurveyFollowUp,
        TemplateQuestion,
    )

    rng = ctx.rng
    template = list(TemplateQuestion.objects.all())
    extra = [
        ("scale", "Les rencontres sont-elles utiles ?", []),
        ("multiple", "Quels formats préférez-vous ?", [["1", "Atelier"], ["2", "Visite"],
                                                       ["3", "Webinaire"], ["4", "Forum"]]),
        ("single", "Quel rythme ?", [["1", "Mensuel"], ["2", "Trimestriel"]]),
    ]  # fmt: skip
    texts = [sentence(rng, 12) for _ in range(40)] + [""] * 40
    communities = [ctx.big_community] + [c for c in ctx.communities if c != ctx.big_community]
    for index in range(ctx.scale.surveys):
        community = communities[index // 6 % len(communities)]
        opens_on = ctx.now.date() - datetime.timedelta(days=120 * (6 - index % 6))
        survey = Survey.objects.create(
            community=community, kind="expectations", opens_on=opens_on, due_on=opens_on,
            closes_on=opens_on + datetime.timedelta(days=21), anonymous=True, status="closed",
            opened_at=ctx.now, closed_at=ctx.now, invited_count=ctx.scale.survey_answers + 50,
            response_count=ctx.scale.survey_answers,
        )  # fmt: skip
        questions = Question.objects.bulk_create(
            [Question(survey=survey, from_template=True, **q.copy_fields()) for q in template]
            + [Question(survey=survey, position=10 + k, kind=kind, text=text, choices=choices)
               for k, (kind, text, choices) in enumerate(extra)]
        )  # fmt: skip
        responses = _bulk(Response, [Response(survey=survey)
                                     for _ in range(ctx.scale.survey_answers)])  # fmt: skip
        values = []
        for response in responses:
            for q in questions:
                if q.kind == "scale":
                    values.append(AnswerValue(response=response, question=q,
                                              number=rng.randint(2, 5)))  # fmt: skip
                elif q.kind == "single":
                    values.append(AnswerValue(response=response, question=q,
                                              choice=rng.choice(q.choices)[0]))  # fmt: skip
                elif q.kind == "multiple":
                    values += [AnswerValue(response=response, question=q, choice=c[0])
                               for c in rng.sample(q.choices, 2)]  # fmt: skip
                else:
                    text = rng.choice(texts)
                    if text:
                        values.append(AnswerValue(response=response, question=q, text=text))
        _bulk(AnswerValue, values)
    SurveyFollowUp.objects.bulk_create(
        [SurveyFollowUp(community=c, expectations_state="up_to_date") for c in ctx.communities]
    )


def seed_seasons(ctx):
    """The largest community's first season, ended yesterday and celebrated (its 300 days hold
    the big thread, meetings and notes), a second one running, and a health review; every
    closed community with its final record and a kept note (the network library's legacies)."""
    from cercles.communities.health import CRITERIA_KEYS
    from cercles.communities.models import Community, FinalRecord, HealthReview
    from cercles.library.models import Item
    from cercles.seasons.models import Objective, Season

    big, today = ctx.big_community, ctx.now.date()
    first = Season.objects.create(
        community=big, number=1, name="Saison 1", starts_on=today - datetime.timedelta(days=300),
        ends_on=today - datetime.timedelta(days=1), review_published_at=ctx.now,
        review_achievements=paragraph(ctx.rng, 300), review_learnt=paragraph(ctx.rng, 200),
        review_keep_doing=paragraph(ctx.rng, 200), review_published_by=big.lead,
    )  # fmt: skip
    second = Season.objects.create(
        community=big, number=2, name="Saison 2", starts_on=today,
        ends_on=today + datetime.timedelta(days=300),
    )  # fmt: skip
    Objective.objects.bulk_create(
        [Objective(season=first, title=sentence(ctx.rng, 6), position=i,
                   status="reached" if i < 5 else "under_way") for i in range(8)]
        + [Objective(season=second, title=sentence(ctx.rng, 6), position=i) for i in range(6)]
    )  # fmt: skip
    HealthReview.objects.create(
        community=big, author=big.lead, decision="continue",
        ratings={key: {"rating": "ok", "comment": ""} for key in CRITERIA_KEYS},
    )  # fmt: skip
    closed = list(Community.objects.filter(state="closed"))
    Community.objects.filter(state="closed").update(closed_on=today)
    FinalRecord.objects.bulk_create(
        [FinalRecord(community=c, achievements=paragraph(ctx.rng, 300), given_at=ctx.now)
         for c in closed]
    )  # fmt: skip
    Item.objects.filter(community__in=closed, kind="note").update(keep_in_legacy=True)


def seed_follow_up(ctx):
    """The coordinators' figures and flags of every community, as the hourly job keeps them."""
    from cercles.coordination.figures import refresh_figures

    refresh_figures(now=ctx.now)


register_part("discussions", seed_discussions)
register_part("meetings", seed_meetings)
register_part("library", seed_library)
register_part("notifications", seed_notifications)
register_part("surveys", seed_surveys)
register_part("seasons", seed_seasons)
register_part("coordination", seed_follow_up)
