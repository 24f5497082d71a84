# Mitreden: one image for the web server (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango/HarfBuzz for WeasyPrint (PDF export), fonts for readable PDFs, curl-free health checks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libffi8 \
        fonts-dejavu-core shared-mime-info gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system mitreden && useradd --system --gid mitreden --home-dir /app --shell /usr/sbin/nologin mitreden

WORKDIR /app
# The locked runtime dependencies (hashes checked) in their own layer, reused while the lock stays.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt
COPY . .
# Editable install: the image runs from this tree (templates, static files, migrations and
# demo data live beside the code), and the install maps the folder platform/ to `foundation`.
# Its dependencies are the locked ones above (--no-deps: nothing is resolved anew).
RUN pip install --no-deps -e . \
    && DEBUG=0 SECRET_KEY=build-time-only-not-used-at-runtime-0123456789abcdefghijklmn \
       ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       python manage.py collectstatic --noinput --verbosity 0 \
    && (python manage.py compilemessages --ignore='*site-packages*' --verbosity 0 || true) \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/media \
    && chown -R mitreden:mitreden /app/media

USER mitreden
EXPOSE 8000

# Migrations run once per deployment in the `migrate` service (docker-compose.yml), not here.
# Bind address, workers, timeouts and the preloading live in gunicorn.conf.py.
CMD ["gunicorn", "config.wsgi:application"]
