import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# Each web process keeps for its whole life what it has loaded by now, and the Thai tokeniser's word
# dictionary, which the decision-support pages load anyway (so it is loaded here, once). gc.freeze() takes
# all of that out of the cyclic garbage collector's sight: requests leave cyclic garbage (model instances
# and their caches), and every full collection would otherwise walk the half a million objects too —
# 300–400 ms pauses on the benchmark, landing in the 95th percentile of every page (issue 9).
from strategies import thai_text  # noqa: E402 (needs the app registry loaded above)

thai_text.words("ความพร้อม")
gc.freeze()
