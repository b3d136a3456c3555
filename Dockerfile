# authsite: gunicorn + Django, as a non-root user, on Debian bookworm's slim Python 3.11.
#
#   docker build -t authsite:local .
#   docker run --env-file .env -p 8000:8000 -v authsite_certs:/certs:ro authsite:local
#
# Production settings need the variables listed in certs/README.md; nothing secret is baked in.
# For reproducible builds, pin the base image by digest (python:3.11-slim-bookworm@sha256:...).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: compiles what needs compiling and fills a virtualenv ----------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# Every pinned dependency ships a manylinux wheel today (psycopg-binary bundles libpq, cryptography
# bundles OpenSSL); the compiler is here so that one that falls back to an sdist still builds, and it
# never reaches the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

# --- runtime: the virtualenv, the code, and nothing to build with -----------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production \
    PORT=8000

# A fixed, unprivileged UID/GID, so that volume files (the client key) can be chowned to it from
# outside the image and Kubernetes' runAsNonRoot can check it. No home, no login shell.
RUN groupadd --system --gid 10001 authsite \
    && useradd --system --uid 10001 --gid authsite --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin authsite

COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app user can read it but not change it.
COPY . /app

# collectstatic needs production settings to import, not to connect: these values are build-only
# placeholders that exist only for this one command and are not kept in the image's environment.
RUN DJANGO_SECRET_KEY=build-only-not-secret \
    JWT_SIGNING_KEY=build-only-not-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app \
    && rm -f /tmp/build.sqlite3

USER 10001:10001
EXPOSE 8000

# Liveness only (/healthz touches neither database nor cache), so a database outage does not get
# the app container restarted; readiness (/readyz) is for the load balancer to ask.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

CMD ["gunicorn", "-c", "authsite/gunicorn.conf.py", "authsite.wsgi:application"]
