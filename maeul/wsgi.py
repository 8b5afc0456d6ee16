"""The WSGI application (gunicorn serves `maeul.wsgi:application`).

The URL configuration, and with it every view and the libraries they use, is loaded here
rather than on each worker's first request: with `gunicorn --preload` that happens once,
before the workers fork, so no user waits for the imports.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (loads the URLconf now)
