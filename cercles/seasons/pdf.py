"""The printable celebration of a season, made with WeasyPrint by a background job."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from .celebration import celebration_of
from .models import CelebrationPdf, Season


def render_celebration_pdf(season, language):
    """The celebration of `season` as a PDF (bytes), in `language`."""
    from weasyprint import HTML  # heavy: imported by the job only

    with translation.override(language):
        html = render_to_string(
            "seasons/celebration_print.html",
            {**celebration_of(season), "language": language, "site_url": settings.SITE_URL},
        )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def make_pdfs(season_id):
    """One PDF per language of the site, replacing earlier ones."""
    season = Season.objects.select_related("community").filter(pk=season_id).first()
    if season is None or not season.is_published:
        return 0
    made = 0
    for language, _name in settings.LANGUAGES:
        content = render_celebration_pdf(season, language)
        pdf = CelebrationPdf.objects.filter(season=season, language=language).first()
        if pdf is not None and pdf.file:
            pdf.file.delete(save=False)
        pdf = pdf or CelebrationPdf(season=season, language=language)
        pdf.file.save(f"celebration-{season.pk}-{language}.pdf", ContentFile(content), save=False)
        pdf.save()
        made += 1
    return made
