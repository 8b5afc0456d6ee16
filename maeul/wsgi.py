"""The WSGI application (gunicorn serves `maeul.wsgi:application`).

The URL configuration, and with it every view and the libraries they use, is loaded here
rather than on each worker's first request: with `gunicorn --preload` that happens once,
before the workers fork, so no user waits for the imports.

The objects loaded so far (modules, the URL resolver, the rules' tax-benefit system) live as
long as the process: `gc.freeze()` moves them out of the cyclic garbage collector's reach, so
its full collections during requests no longer walk them (about 280,000 objects), and the
forked workers do not touch the pages they share with the master just to collect them
(https://docs.python.org/3.11/library/gc.html#gc.freeze).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (loads the URLconf now)
gc.collect()
gc.freeze()
