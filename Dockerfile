# encord-emulator as a container: the same install and entrypoint the test suite runs in a fresh virtual environment
# (tests/test_packaging.py reads the RUN pip line, the ENV lines and the ENTRYPOINT from this file).
FROM python:3.11-slim

WORKDIR /src
COPY pyproject.toml README.md ./
COPY emulator ./emulator
COPY contracts ./contracts
COPY docker ./docker
RUN pip install --no-cache-dir .

# The emulator runs as an unprivileged user that owns only its data directory (created before VOLUME, since a
# volume's directory is fixed when it is declared).
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin emulator \
    && mkdir -p /data && chown emulator:emulator /data
USER emulator

# Every interface of the container's own network, or published ports would not reach it: publish them on 127.0.0.1
# and set ENCORD_EMULATOR_CONTROL_TOKEN (docker/README.md, docker/compose.yaml).
ENV ENCORD_EMULATOR_HOST=0.0.0.0
ENV ENCORD_EMULATOR_PORT=8080
ENV ENCORD_EMULATOR_S3_PORT=5000
ENV ENCORD_EMULATOR_DATA_DIR=/data
VOLUME /data
EXPOSE 8080 5000

HEALTHCHECK --interval=10s --timeout=5s --start-period=20s CMD ["python", "/src/docker/healthcheck.py"]
ENTRYPOINT ["encord-emulator", "serve"]
