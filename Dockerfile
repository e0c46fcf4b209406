FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY application application
COPY infrastructure infrastructure
COPY api api
# The PDF reports: WeasyPrint (the pdf extra) draws them with Debian's Pango, in a font with Arabic glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
# The main dependencies as the README installs them (scripts/check-install proves they are enough to serve), and the
# pdf extra for the reports' PDFs (without it, and without Pango, the service runs and a PDF is answered 503).
RUN pip install --no-cache-dir '.[pdf]'

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
# Healthy (decision 0058): `commitments serve` can serve, its database answers (/ready, this process only: a
# stopped worker never makes an API unhealthy); `commitments worker` (the container's first process) has its
# jobs ticking (`commitments worker --health` with the worker's own options), not asked about a port it lacks.
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 CMD ["python", "-c", "import os, subprocess, sys, urllib.request; argv = [a for a in open('/proc/1/cmdline', 'rb').read().decode().split(chr(0)) if a]; sys.exit(subprocess.call(['commitments', *argv[argv.index('worker'):], '--health']) if 'worker' in argv else urllib.request.urlopen('http://127.0.0.1:%s/ready' % os.environ.get('COMMITMENTS_PORT', '8000'), timeout=10).status != 200)"]

CMD ["commitments", "serve"]
