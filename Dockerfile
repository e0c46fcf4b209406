FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY application application
COPY infrastructure infrastructure
COPY api api
# Installed as the README installs it: the main dependencies only, no extras (scripts/check-install proves that is enough).
RUN pip install --no-cache-dir .

# The event store and tables live on a volume.
ENV COMMITMENTS_DATABASE_URL=sqlite:////data/commitments.db \
    COMMITMENTS_HOST=0.0.0.0 \
    COMMITMENTS_PORT=8000 \
    COMMITMENTS_API_DOCS=false \
    PYTHONUNBUFFERED=1
RUN useradd --system --create-home commitments && mkdir -p /data && chown commitments /data
USER commitments
VOLUME /data
EXPOSE 8000
# Ready: the database answers, the read model keeps up, the scanner and dispatcher tick, the audit chain is intact.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=4).status != 200)"

CMD ["commitments", "serve"]
