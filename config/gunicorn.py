"""gunicorn settings; every value can be overridden by the environment (see README)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = 2000
max_requests_jitter = 200
# The longest request line gunicorn allows (its default is 4094): a long search or filter
# reaches the portal, which answers with its own page; past this, gunicorn's 414.
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
# Control characters in a request are written escaped: no forged or binary log lines.
logger_class = "config.gunicorn_log.PortalLogger"
# Query strings can carry personal data; log the path only.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"
