"""The newsletter: the draft compiled from a period, who receives it, and how each copy reads.

The common part is the coordinator's Markdown, rendered once; each copy adds the reader's own
part from the personal sections other apps register (next steps of my communities, my upcoming
meetings, communities recommended for me, surveys waiting for my answer…), read for a chunk of
readers at once.
"""

import datetime
import io
import re
from functools import lru_cache

import nh3
from django.conf import settings
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from cercles.accounts.models import User
from cercles.communities.lifecycle import JOINABLE_STATES
from cercles.communities.models import Community, Membership, MembershipStatus, Role, Visibility
from cercles.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES
from cercles.library.models import Production
from cercles.meetings.models import Meeting
from cercles.notifications import audience
from cercles.notifications.kinds import Delivery, Level
from cercles.notifications.models import CommunityPreference, NotificationPreference
from cercles.notifications.sections import collect_personal
from cercles.notifications.sending import Letter, absolute_url
from cercles.notifications.unsubscribe import unsubscribe_path

from .models import Newsletter, ProgressUpdate, SegmentRole

IMAGE_MAX_BYTES = 100 * 1024
IMAGE_MAX_WIDTH = 1200
EMAIL_IMAGE_WIDTH = 560
LISTED = 8
EMAIL_STYLES = {
    "h1": "font-size:20px; margin:20px 0 8px;",
    "h2": "font-size:18px; margin:20px 0 8px;",
    "h3": "font-size:16px; margin:16px 0 6px;",
}


# --- The draft -----------------------------------------------------------------------------------


def default_period(today=None):
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=30), today


def _link(title, path):
    # Square brackets would end the link text early.
    title = title.replace("[", "(").replace("]", ")")
    return f"[{title}]({absolute_url(path)})"


def compile_draft(period_start, period_end):
    """Markdown for the period, in the current language: communities recruiting, meetings open
    to the network, calls for contributions, productions delivered, and a featured story."""
    start = datetime.datetime.combine(period_start, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(period_end, datetime.time.max, tzinfo=datetime.UTC)
    shared = [Visibility.NETWORK, Visibility.PUBLIC]
    parts = []

    recruiting = Community.objects.filter(
        state__in=JOINABLE_STATES, visibility__in=shared, member_count__lt=F("target_size_max")
    ).order_by("-updated_at")[:LISTED]
    if recruiting:
        parts.append("## " + _("Communities looking for members"))
        parts += [
            f"- {_link(c.title, c.get_absolute_url())} — "
            + Truncator(" ".join(c.purpose.split())).chars(160)
            for c in recruiting
        ]

    meetings = (
        Meeting.objects.filter(
            community__visibility__in=shared,
            community__state__in=JOINABLE_STATES,
            cancelled_at__isnull=True,
            starts_at__gte=timezone.now(),
            starts_at__lte=end + datetime.timedelta(days=45),
        )
        .select_related("community")
        .order_by("starts_at")[:LISTED]
    )
    if meetings:
        parts.append("\n## " + _("Meetings coming"))
        parts += [
            f"- {formats.date_format(timezone.localtime(m.starts_at), 'DATE_FORMAT')} : "
            f"{_link(m.title, m.get_absolute_url())} ({m.community.title})"
            for m in meetings
        ]

    calls = (
        ProgressUpdate.objects.filter(
            community__visibility__in=shared,
            community__state__in=JOINABLE_STATES,
            created_at__range=(start, end),
        )
        .exclude(help_needed="")
        .select_related("community")
        .order_by("-created_at")[:LISTED]
    )
    if calls:
        parts.append("\n## " + _("Calls for contributions"))
        parts += [
            f"- {_link(u.community.title, u.community.get_absolute_url())} — "
            + Truncator(" ".join(u.help_needed.split())).chars(200)
            for u in calls
        ]

    delivered = list(
        Production.objects.delivered()
        .filter(community__visibility__in=shared, delivered_at__range=(start, end))
        .select_related("community")
        .order_by("-delivered_at")[:LISTED]
    )
    if delivered:
        parts.append("\n## " + _("Productions delivered"))
        parts += [
            f"- {_link(p.title, p.get_absolute_url())} ({p.community.title})" for p in delivered
        ]
        featured = next((p for p in delivered if p.summary.strip()), None)
        if featured:
            parts.append("\n## " + _("Featured: %(title)s") % {"title": featured.title})
            parts.append(featured.summary.strip())
            parts.append(
                _("Delivered by the community %(community)s.")
                % {
                    "community": _link(
                        featured.community.title, featured.community.get_absolute_url()
                    )
                }
            )
    return "\n".join(parts) + "\n" if parts else ""


# --- Markdown with the newsletter's own images ---------------------------------------------------

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable(["table", "strikethrough"])
RAW_HTML = re.compile(r"<\s*/?\s*(script|style|iframe|img|object|embed|form|link|meta)\b", re.I)


def own_image_prefixes():
    path = reverse("newsletter:image", args=[0, "jpg"]).rsplit("/", 1)[0] + "/"
    return (path, absolute_url(path))


def image_sources(text):
    """Every image address the Markdown uses."""
    sources = []

    def walk(tokens):
        for token in tokens:
            if token.type == "image":
                sources.append(token.attrGet("src") or "")
            if token.children:
                walk(token.children)

    walk(_parser.parse(text or ""))
    return sources


def problems_of(text):
    """Why a newsletter's text cannot be sent as it is: raw HTML, images from elsewhere."""
    problems = []
    if RAW_HTML.search(text or ""):
        problems.append(_("HTML tags such as <script> or <img> are not allowed: write Markdown."))
    prefixes = own_image_prefixes()
    foreign = [src for src in image_sources(text) if not src.startswith(prefixes)]
    if foreign:
        problems.append(
            _(
                "Images from other sites are not allowed (they can track readers and weigh on "
                "slow connections): upload them below. Not allowed: %(sources)s"
            )
            % {"sources": ", ".join(foreign[:3])}
        )
    return problems


def _keep_own_images(tag, attribute, value):
    if tag == "img" and attribute == "src":
        return value if value.startswith(own_image_prefixes()) else None
    return value


@lru_cache(maxsize=32)
def _render(text, absolute, _site_url):
    html = _parser.render(text)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"img"},
        attributes={**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "width", "height"}},
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_keep_own_images,
    )
    if absolute:
        prefix = own_image_prefixes()[0]
        html = html.replace(f'src="{prefix}', f'src="{absolute_url(prefix)}')
        # Mail programs ignore style sheets: sizes inline, headings below the subject's.
        for tag, size in EMAIL_STYLES.items():
            html = html.replace(f"<{tag}>", f'<{tag} style="{size}">')
        html = html.replace("<img ", '<img style="max-width:100%; height:auto;" ')
    return html


def render_body(newsletter, *, for_email=False):
    """The common part as safe HTML (images with absolute addresses in emails)."""
    html = _render(newsletter.body or "", for_email, settings.SITE_URL)
    return mark_safe(html)  # noqa: S308 - cleaned by nh3


# --- Images --------------------------------------------------------------------------------------


class ImageTooHeavy(ValueError):
    pass


def shrink_image(upload):
    """(bytes, extension, width, height) of the image made at most IMAGE_MAX_BYTES: scaled to
    IMAGE_MAX_WIDTH, re-encoded as JPEG (PNG when it has transparency and stays small)."""
    from PIL import Image, ImageOps

    image = Image.open(upload)
    image = ImageOps.exif_transpose(image)
    if image.width > IMAGE_MAX_WIDTH:
        image = image.resize(
            (IMAGE_MAX_WIDTH, round(image.height * IMAGE_MAX_WIDTH / image.width)),
            Image.Resampling.LANCZOS,
        )
    if image.mode in ("RGBA", "LA", "P") and "transparency" in image.info or image.mode == "RGBA":
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
        if buffer.tell() <= IMAGE_MAX_BYTES:
            return buffer.getvalue(), "png", image.width, image.height
        image = image.convert("RGB")
    image = image.convert("RGB")
    for quality in (85, 75, 65, 55, 45):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        if buffer.tell() <= IMAGE_MAX_BYTES:
            return buffer.getvalue(), "jpg", image.width, image.height
    smaller = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    smaller.save(buffer, "JPEG", quality=70, optimize=True, progressive=True)
    if buffer.tell() <= IMAGE_MAX_BYTES:
        return buffer.getvalue(), "jpg", smaller.width, smaller.height
    raise ImageTooHeavy


# --- Who receives it -----------------------------------------------------------------------------


def recipients(newsletter):
    """People the newsletter goes to: active, not unsubscribed, within the segment (themes,
    territories and roles each narrow it; within one of them, any value matches)."""
    people = User.objects.filter(is_active=True).exclude(
        pk__in=NotificationPreference.objects.filter(
            group="newsletter", delivery=Delivery.OFF
        ).values("user_id")
    )
    active = Membership.objects.filter(status=MembershipStatus.ACTIVE)
    themes = list(newsletter.segment_themes.all())
    if themes:
        people = people.filter(
            Q(pk__in=User.themes.through.objects.filter(theme__in=themes).values("user_id"))
            | Q(pk__in=active.filter(community__themes__in=themes).values("user_id"))
        )
    territories = list(newsletter.segment_territories.all())
    if territories:
        countries = {c for t in territories for c in (t.countries or [])}
        people = people.filter(
            Q(country__in=countries)
            | Q(pk__in=active.filter(community__territories__in=territories).values("user_id"))
        )
    roles = set(newsletter.segment_roles)
    if roles:
        member_roles = {
            SegmentRole.LEADS: [Role.LEAD, Role.CO_LEAD],
            SegmentRole.CORE: [Role.CORE],
            SegmentRole.INNER: [Role.INNER],
            SegmentRole.OUTER: [Role.OUTER],
        }
        wanted = [r for role in roles for r in member_roles.get(role, [])]
        condition = Q(pk__in=active.filter(role__in=wanted).values("user_id"))
        if SegmentRole.COORDINATORS in roles:
            condition |= Q(is_coordinator=True)
        people = people.filter(condition)
    return people


def audience_counts(newsletter):
    """(people in the segment, of whom an email can reach) — without confirmed address or
    stopped after a bounce, the others are counted and skipped."""
    from allauth.account.models import EmailAddress

    from cercles.notifications.models import SuppressedAddress

    people = recipients(newsletter)
    total = people.count()
    reachable = (
        people.filter(pk__in=EmailAddress.objects.filter(verified=True).values("user_id"))
        .exclude(email__in=SuppressedAddress.objects.values("address"))
        .count()
    )
    return total, reachable


# --- Each copy -----------------------------------------------------------------------------------


def personal_parts(users):
    """{user id: [(section, items, more)]} for a chunk of readers, muted communities left out."""
    ids = [u.pk for u in users]
    places = audience.places_of(ids)
    muted = {}
    for user_id, community_id in CommunityPreference.objects.filter(
        user_id__in=ids, level=Level.MUTE
    ).values_list("user_id", "community_id"):
        muted.setdefault(user_id, set()).add(community_id)
    return collect_personal(users, places, muted)


def letter_for(newsletter, user, personal, *, preview=False):
    """One reader's copy, in the current language (the reader's, set by the sending service)."""
    context = {
        "newsletter": newsletter,
        "recipient": user,
        "body_html": render_body(newsletter, for_email=True),
        "personal": personal,
        "site_url": settings.SITE_URL.rstrip("/"),
        "archive_link": absolute_url(reverse("newsletter:archive_detail", args=[newsletter.pk])),
        "settings_link": absolute_url(reverse("notifications:settings")),
        "unsubscribe_link": absolute_url(unsubscribe_path(user, "group:newsletter")),
        "preview": preview,
    }
    return Letter(
        subject=newsletter.subject,
        text=render_to_string("coordination/emails/newsletter.txt", context),
        html=render_to_string("coordination/emails/newsletter.html", context),
        unsubscribe="group:newsletter",
        headers={"Precedence": "bulk"},
    )


def render_copies(mailing, users):
    """The sending service's renderer for newsletters: reads the chunk's personal parts at once."""
    newsletter = Newsletter.objects.get(pk=mailing.object_id)
    parts = personal_parts(users)

    def write(user):
        return letter_for(newsletter, user, parts.get(user.pk, []))

    return write
