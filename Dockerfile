# toktok's image: one image for every role (`toktok run --web`, `--sender`, `--scheduler`).
# Dependencies come from the lock file, with their hashes; the service runs as a user
# without privileges. Build: docker build -t toktok .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A Korean font from Debian's packages, for the words in survey results pictures.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md ./
COPY api ./api
COPY console ./console
COPY staff ./staff
COPY bot ./bot
COPY kakao ./kakao
COPY conversations ./conversations
COPY runtime ./runtime
COPY storage ./storage
COPY toktok ./toktok
RUN pip install --no-deps . && rm -rf /app/*

RUN useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin toktok
USER toktok
WORKDIR /tmp

ENV ENVIRONMENT=production \
    API_HOST=0.0.0.0 \
    API_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
ENTRYPOINT ["toktok"]
CMD ["run"]
