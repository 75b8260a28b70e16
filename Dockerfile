# xuewu: one static binary on a small Debian base.
#
#   docker build -t xuewu .
#   docker run -p 8080:8080 -e DATABASE_URL=... -e REDIS_URL=... xuewu
#
# The same image runs every command: `docker run xuewu import /school`,
# `docker run xuewu sweep`.

# --- build ---------------------------------------------------------------
FROM golang:1.26-bookworm AS build

WORKDIR /src

# Dependencies first, so that a change to the code alone reuses this layer.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
# No cgo: the embedded SQLite driver is pure Go, so the binary is static.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/xuewu ./cmd/xuewu

# --- run -----------------------------------------------------------------
# debian:bookworm-slim rather than distroless: the HEALTHCHECK needs an
# HTTP client inside the image, distroless has none, and xuewu has no
# health-probe command of its own. curl comes from Debian's packages;
# ca-certificates is for the HTTPS calls to WeChat. tzdata is not needed:
# xuewu computes China time with a fixed UTC+8 zone.
FROM debian:bookworm-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

# A fixed non-root user, owner of the data volume. Docker copies the
# directory's ownership into a named volume when the volume is first made.
RUN groupadd --system --gid 10001 xuewu \
    && useradd --system --uid 10001 --gid xuewu --home-dir /data \
        --no-create-home --shell /usr/sbin/nologin xuewu \
    && mkdir /data \
    && chown xuewu:xuewu /data

COPY --from=build /out/xuewu /usr/local/bin/xuewu

ENV XUEWU_DATA=/data \
    HTTP_ADDR=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER xuewu:xuewu

# Liveness only: /healthz answers while the process serves. Whether the
# database and Redis answer is /readyz's job, for a load balancer to poll.
# The probe assumes the default port; change it here if HTTP_ADDR changes.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["curl", "--fail", "--silent", "--show-error", "--max-time", "2", \
         "--output", "/dev/null", "http://127.0.0.1:8080/healthz"]

ENTRYPOINT ["/usr/local/bin/xuewu"]
CMD ["serve"]
