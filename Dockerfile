# syntax=docker/dockerfile:1
# smtpoauth: a static, CGO-free binary on an empty base with CA certificates and a non-root user.

# 1.26.11: the patch release that fixes the standard-library advisories govulncheck finds in earlier 1.26s.
FROM golang:1.26.11 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/smtpoauth ./cmd/smtpoauth \
 && mkdir -p /out/data \
 && printf 'smtpoauth:x:10001:10001:smtpoauth:/data:/sbin/nologin\n' > /out/passwd \
 && printf 'smtpoauth:x:10001:\n' > /out/group

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.title="smtpoauth" \
      org.opencontainers.image.description="Console that gets applications sending through Exchange Online with SMTP AUTH and OAuth 2.0 (XOAUTH2), and proves it live" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/smtpoauth/smtpoauth"
# The system roots verify login.microsoftonline.com and smtp.office365.com.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/passwd /etc/passwd
COPY --from=build /out/group /etc/group
COPY --from=build --chown=10001:10001 /out/data /data
COPY --from=build /out/smtpoauth /smtpoauth
USER 10001:10001
ENV SMTPOAUTH_ADDR=0.0.0.0:8080 \
    SMTPOAUTH_DATA_DIR=/data \
    SMTPOAUTH_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
# The image has no shell or curl: the binary checks its own /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/smtpoauth", "healthcheck"]
ENTRYPOINT ["/smtpoauth"]
CMD ["serve"]
