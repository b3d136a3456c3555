#!/bin/bash
# One-shot (cockroach image): initialise the cluster once, then make sure the app's database and
# SQL user exist. Safe to re-run: "already initialized" and the IF NOT EXISTS statements are no-ops.
# Plain bash only: the cockroach image is a minimal one, so no grep, seq or the like.
set -euo pipefail

connection=(--certs-dir=/certs --host=crdb1:26257)
attempts=60

initialise() {
    local attempt output
    for ((attempt = 1; attempt <= attempts; attempt++)); do
        if output="$(cockroach init "${connection[@]}" 2>&1)"; then
            echo "$output"
            return 0
        fi
        if [[ "$output" == *"already been initialized"* ]]; then
            echo "cluster already initialized"
            return 0
        fi
        echo "init: crdb1 not ready yet (attempt $attempt/$attempts): ${output##*$'\n'}"
        sleep 2
    done
    echo "init: gave up after $attempts attempts" >&2
    return 1
}

initialise
# Telemetry off first; then the app's database, its user (certificate login, no password), and its
# rights. The user owns nothing else, so the app cannot touch other databases or cluster settings.
cockroach sql "${connection[@]}" -e "
SET CLUSTER SETTING diagnostics.reporting.enabled = false;
CREATE DATABASE IF NOT EXISTS authsite;
CREATE USER IF NOT EXISTS authsite;
GRANT ALL ON DATABASE authsite TO authsite;
GRANT ALL ON SCHEMA authsite.public TO authsite;
"
echo "init: database authsite and user authsite are ready"
