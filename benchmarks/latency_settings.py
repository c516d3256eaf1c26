"""Settings for benchmarks/web_latency.py only: samspil's own settings plus one bare view.

The floor of the latency benchmark is a view that does nothing, served through exactly the
middleware the real pages pass. It lives in ``latency_urls`` and exists only in the
benchmark's server process (DJANGO_SETTINGS_MODULE=latency_settings), never in the app.
"""

from samspil.settings import *  # noqa: F403

ROOT_URLCONF = "latency_urls"
