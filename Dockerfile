# Tanya Kota: one process serving the web chat, admin page, webhooks and Telegram.
# Build:  docker build -t tanyakota .
# Run:    docker run -p 8080:8080 -v tanyakota-data:/data -e TELEGRAM_BOT_TOKEN=... tanyakota
# The SQLite database, the secret key and residents' photos live in the /data volume.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY knowledge ./knowledge
COPY admin ./admin
RUN /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    TANYAKOTA_HOST=0.0.0.0 \
    TANYAKOTA_PORT=8080 \
    TANYAKOTA_DATA_DIR=/data \
    TANYAKOTA_MEDIA_DIR=/data/media \
    TANYAKOTA_DATABASE_URL=sqlite+aiosqlite:////data/tanyakota.db
RUN groupadd --system --gid 10001 tanyakota \
    && useradd --system --uid 10001 --gid tanyakota --home-dir /data --shell /usr/sbin/nologin tanyakota \
    && mkdir -p /data/media \
    && chown -R tanyakota:tanyakota /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /data
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
# /healthz answers 200 only while the database does; no curl in the slim image, so Python asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('TANYAKOTA_PORT', '8080'), timeout=4)"]
CMD ["tanyakota", "serve"]
