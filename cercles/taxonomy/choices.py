from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectiveType(models.TextChoices):
    """What a community of practice sets out to do (seed 001), and what people look for."""

    EXCHANGE = "exchange", _("Exchange information")
    SOLUTIONS = "solutions", _("Develop solutions")
    TESTING = "testing", _("Test practical applications")
    CHANGE = "change", _("Lead a change process")
