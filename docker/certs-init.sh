#!/bin/sh
# One-shot init container (the app image, run as root): issue the local cluster's certificates into
# the shared `certs` volume, once. Re-running it changes nothing; to rotate, see certs/README.md.
#
# Who may read what, in the volume (every key is 0600):
#   ca.crt, *.crt                    everyone (0644)
#   node.key, client.root.key        root: CockroachDB runs as root in its image
#   client.authsite.key              APP_UID, the app image's non-root user
#   redis/redis.key                  REDIS_UID, the user the redis image drops to
# ca.key goes to the separate `ca-key` volume, which only this service mounts.
set -eu

CERTS="${CERTS_DIR:-/certs}"
CA_KEYS="${CA_KEY_DIR:-/ca-key}"
APP_UID="${APP_UID:-10001}"
REDIS_UID="${REDIS_UID:-999}"

gencerts() {
    "${PYTHON:-python}" "${GENCERTS_PY:-/app/certs/gencerts.py}" "$@"
}

if [ -e "$CERTS/ca.crt" ]; then
    echo "certs: $CERTS/ca.crt exists, keeping the certificates already issued"
    exit 0
fi

# Issue into a private scratch dir first and publish ca.crt last: a run that dies half-way leaves no
# ca.crt, so the next run starts over instead of skipping a half-filled volume.
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
gencerts --dir "$stage" all \
    --host crdb1 --host crdb2 --host crdb3 --host localhost --host 127.0.0.1 \
    --client root --client authsite
gencerts --dir "$stage" server redis --host redis --host localhost --host 127.0.0.1

chown "$APP_UID" "$stage/client.authsite.key"
chown "$REDIS_UID" "$stage/redis.key"
mkdir -p "$CERTS/redis"
chmod 0755 "$CERTS" "$CERTS/redis"
chmod 0700 "$CA_KEYS"
# CockroachDB reads every *.crt in its certs dir; redis.* lives in a sub-directory, which it skips.
cp -p "$stage/ca.key" "$CA_KEYS/ca.key"
cp -p "$stage/redis.crt" "$stage/redis.key" "$CERTS/redis/"
cp -p "$stage"/node.* "$stage"/client.* "$CERTS/"
cp -p "$stage/ca.crt" "$CERTS/ca.crt"
ls -ln "$CERTS" "$CERTS/redis"
