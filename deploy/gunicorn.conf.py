"""gunicorn's settings for Derbes: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Behind nginx (deploy/nginx.conf), which terminates TLS; see the README, "Production".
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: each request is short (slow work is on the job queue). Two per core plus
# one is gunicorn's own advice; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# GUNICORN_THREADS above 1: threaded workers (gthread). A request that commits (the one-click
# unsubscribe, the Tilda webhook) waits for the disk's flush; threads let a worker's requests
# wait together, so fewer workers take a mailing's burst of clicks (bench/README.md).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
if threads > 1:
    worker_class = "gthread"
timeout = 30
graceful_timeout = 30
# Workers are replaced now and then, so that no slow leak grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# Only nginx talks to gunicorn; it sets X-Forwarded-For and X-Forwarded-Proto
# (TRUSTED_PROXY_COUNT=1). gunicorn's own reading of them stays off: Django decides.
forwarded_allow_ips = ""
# No access log here: URLs carry unsubscribe tokens and nginx keeps the access log it needs.
accesslog = None
errorlog = "-"
capture_output = True
