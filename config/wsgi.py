import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from config.startup import refuse_insecure_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
refuse_insecure_settings(settings)
