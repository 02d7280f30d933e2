# syntax=docker/dockerfile:1
# Build: a static binary (no cgo), so the runtime image needs no libc.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/smsbridge ./cmd/smsbridge

# The sandbox (`smsbridge dev`, simulated Stream and Twilio), only with
# `docker build --target sandbox`: the service image below never links it.
FROM build AS sandbox-build
ARG VERSION=
RUN CGO_ENABLED=0 go build -trimpath -tags sandbox -ldflags "-s -w -X main.version=${VERSION}" -o /out/smsbridge-sandbox ./cmd/smsbridge

FROM gcr.io/distroless/static-debian12:nonroot AS sandbox
COPY --from=sandbox-build /out/smsbridge-sandbox /smsbridge
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/smsbridge"]
CMD ["dev", "-addr", "0.0.0.0:8080"]

# Run (the default target): distroless static, non-root, nothing but the binary and CA certificates.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/smsbridge /smsbridge
USER nonroot:nonroot
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 CMD ["/smsbridge", "healthcheck"]
ENTRYPOINT ["/smsbridge"]
CMD ["serve"]
