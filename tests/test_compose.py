"""The container files: docker-compose.yml, Dockerfile, .dockerignore, docker/ and gunicorn.conf.py.

No Docker engine runs here, so these check what can be checked without one: that compose parses
and resolves the file, and that the structure keeps its promises (TLS everywhere, start order,
health checks, no secret in the repository, a non-root app).
"""

import os
import re
import runpy
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DUMMY_SECRETS = {
    "DJANGO_SECRET_KEY": "compose-config-dummy-secret-key",
    "JWT_SIGNING_KEY": "compose-config-dummy-jwt-key",
}
CRDB_NODES = ["crdb1", "crdb2", "crdb3"]
INSTALL_HINT = (
    "docker-compose is not installed. The project's test command installs it "
    "(apt-get update && apt-get install -y docker-compose); run that, then the tests again."
)


def compose_command() -> list[str]:
    """docker-compose (v1, Debian's package) or the docker compose plugin, whichever is here."""
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    pytest.fail(INSTALL_HINT)


def run_compose_config(tmp_path: Path, secrets: dict[str, str]) -> subprocess.CompletedProcess:
    """`config` with only ``secrets`` set: no DJANGO_* from the caller's shell, no developer .env."""
    env = {key: value for key, value in os.environ.items() if key not in DUMMY_SECRETS}
    env.update(secrets)
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    command = [*compose_command(), "--env-file", str(empty_env_file), "-f", str(COMPOSE_FILE), "config"]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)


@pytest.fixture(scope="module")
def compose(tmp_path_factory):
    """The file as compose resolves it, with dummy secrets."""
    result = run_compose_config(tmp_path_factory.mktemp("compose"), DUMMY_SECRETS)
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"
    return yaml.safe_load(result.stdout)


@pytest.fixture(scope="module")
def raw_compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


def command_text(service: dict) -> str:
    """A service's entrypoint and command as one string, whichever form they were written in."""
    parts = []
    for key in ("entrypoint", "command"):
        value = service.get(key) or []
        parts.extend(value if isinstance(value, list) else [value])
    return " ".join(parts)


def depends_on(service: dict) -> dict[str, str]:
    return {name: spec["condition"] for name, spec in service.get("depends_on", {}).items()}


# --- docker-compose.yml ---------------------------------------------------------------------------


def test_compose_file_parses(compose):
    assert {"certs", *CRDB_NODES, "init", "redis", "migrate", "app"} <= set(compose["services"])


@pytest.mark.parametrize("node", CRDB_NODES)
def test_three_secure_cockroach_nodes(compose, node):
    service = compose["services"][node]
    command = command_text(service)
    assert re.fullmatch(r"cockroachdb/cockroach:v24\.\d+\.\d+", service["image"])  # pinned, not latest
    assert command.startswith("start ")
    assert "--certs-dir=/certs" in command
    assert "--join=crdb1,crdb2,crdb3" in command
    assert f"--advertise-addr={node}" in command
    assert "certs:/certs:ro" in service["volumes"]
    assert service["environment"]["COCKROACH_SKIP_ENABLING_DIAGNOSTIC_REPORTING"] == "true"


def test_nothing_runs_insecure():
    """No --insecure, no verification skipped, no plaintext database mode, anywhere."""
    files = [COMPOSE_FILE, *sorted((ROOT / "docker").glob("*"))]
    for path in files:
        text = path.read_text()
        for forbidden in ("--insecure", "-k ", "sslmode=disable", "sslmode=require", "tls-auth-clients no"):
            assert forbidden not in text, f"{forbidden!r} in {path.name}"


def test_init_initialises_once_and_turns_telemetry_off(compose):
    service = compose["services"]["init"]
    assert depends_on(service) == dict.fromkeys(CRDB_NODES, "service_started")
    script = (ROOT / "docker" / "crdb-init.sh").read_text()
    assert "cockroach init --certs-dir" in script.replace('"${connection[@]}"', "--certs-dir")
    assert "already been initialized" in script
    for statement in (
        "SET CLUSTER SETTING diagnostics.reporting.enabled = false",
        "CREATE DATABASE IF NOT EXISTS authsite",
        "CREATE USER IF NOT EXISTS authsite",
        "GRANT ALL ON DATABASE authsite TO authsite",
    ):
        assert statement in script


def test_crdb_init_script_is_valid_bash():
    result = subprocess.run(["bash", "-n", str(ROOT / "docker" / "crdb-init.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_redis_listens_only_with_tls(compose):
    service = compose["services"]["redis"]
    command = service["command"]
    assert re.fullmatch(r"redis:7\.\d+\.\d+", service["image"])
    assert command[command.index("--port") + 1] == "0"
    assert command[command.index("--tls-port") + 1] == "6379"
    for option in ("--tls-cert-file", "--tls-key-file", "--tls-ca-cert-file"):
        assert command[command.index(option) + 1].startswith("/certs/")
    assert command[command.index("--tls-auth-clients") + 1] in ("optional", "yes")
    assert "--tls" in service["healthcheck"]["test"] and "--cacert" in service["healthcheck"]["test"]


def test_every_long_running_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        if service.get("restart") == "unless-stopped":
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert {name for name, s in compose["services"].items() if s.get("restart") == "unless-stopped"} == {
        *CRDB_NODES,
        "redis",
        "app",
    }


def test_app_health_check_uses_python_against_healthz(compose):
    test = compose["services"]["app"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    assert "/healthz" in (ROOT / "docker" / "healthcheck.py").read_text()


def test_start_order(compose):
    services = compose["services"]
    assert depends_on(services["app"]) == {
        "migrate": "service_completed_successfully",
        "redis": "service_healthy",
    }
    assert depends_on(services["migrate"]) == {"init": "service_completed_successfully"}
    for name in [*CRDB_NODES, "redis"]:
        assert depends_on(services[name]) == {"certs": "service_completed_successfully"}
    assert command_text(services["migrate"]) == "python manage.py migrate --noinput"


def test_certs_are_issued_once_by_gencerts(compose):
    service = compose["services"]["certs"]
    script = (ROOT / "docker" / "certs-init.sh").read_text()
    assert "/app/docker/certs-init.sh" in command_text(service)
    assert 'if [ -e "$CERTS/ca.crt" ]' in script
    for host in [*CRDB_NODES, "localhost", "127.0.0.1"]:
        assert f"--host {host}" in script
    assert "--client root --client authsite" in script


def test_only_the_certs_service_sees_the_ca_key_or_runs_as_root(compose):
    for name, service in compose["services"].items():
        mounts = [volume.split(":")[0] for volume in service.get("volumes", [])]
        assert ("ca-key" in mounts) == (name == "certs"), name
    assert compose["services"]["certs"]["user"] == "0:0"
    for name in ("app", "migrate"):
        assert "user" not in compose["services"][name]  # the image's non-root USER applies


def test_app_talks_verified_tls_to_database_and_redis(compose):
    env = compose["services"]["app"]["environment"]
    url = env["DATABASE_URL"]
    assert url.startswith("cockroachdb://authsite@crdb1:26257/authsite?")
    for part in (
        "sslmode=verify-full",
        "sslrootcert=/certs/ca.crt",
        "sslcert=/certs/client.authsite.crt",
        "sslkey=/certs/client.authsite.key",
    ):
        assert part in url
    assert env["REDIS_URL"].startswith("rediss://redis:")
    assert env["REDIS_CA_CERT"] == "/certs/ca.crt"
    assert env["DJANGO_ENV"] == "production"


def test_app_environment_is_shared_through_the_x_app_anchor(compose, raw_compose):
    assert "x-app" in raw_compose
    services = compose["services"]
    assert services["app"]["environment"] == services["migrate"]["environment"]
    assert services["app"]["read_only"] is True and services["app"]["cap_drop"] == ["ALL"]


def test_secrets_come_from_the_environment_only(compose):
    text = COMPOSE_FILE.read_text()
    for name, dummy in DUMMY_SECRETS.items():
        assert re.search(rf"{name}: \$\{{{name}:\?[^}}]+\}}", text), f"{name} is not a required variable"
        assert dummy not in text
        assert compose["services"]["app"]["environment"][name] == dummy  # interpolated at run time


@pytest.mark.parametrize("missing", sorted(DUMMY_SECRETS))
def test_compose_refuses_to_run_without_a_secret(tmp_path, missing):
    secrets = {name: value for name, value in DUMMY_SECRETS.items() if name != missing}
    result = run_compose_config(tmp_path, secrets)
    assert result.returncode != 0
    assert missing in result.stderr


def test_no_credential_literals_in_compose():
    assignments = re.findall(
        r"^\s*([A-Z_]*(?:SECRET|PASSWORD|TOKEN|KEY)[A-Z_]*):\s*(\S.*)$", COMPOSE_FILE.read_text(), re.M
    )
    assert assignments, "expected the secret variables to be listed"
    for name, value in assignments:
        assert value.startswith("${"), f"{name} has a literal value"


# --- docker/certs-init.sh, run for real against temporary directories -----------------------------


def run_certs_init(certs: Path, ca_keys: Path) -> subprocess.CompletedProcess:
    uid = os.geteuid()
    env = {
        **os.environ,
        "CERTS_DIR": str(certs),
        "CA_KEY_DIR": str(ca_keys),
        "PYTHON": sys.executable,
        "GENCERTS_PY": str(ROOT / "certs" / "gencerts.py"),
        # As root, hand the keys to the UIDs compose uses; otherwise chown can only keep our own.
        "APP_UID": "10001" if uid == 0 else str(uid),
        "REDIS_UID": "999" if uid == 0 else str(uid),
    }
    return subprocess.run(
        ["sh", str(ROOT / "docker" / "certs-init.sh")], capture_output=True, text=True, env=env, timeout=120
    )


def test_certs_init_fills_the_volume_once(tmp_path):
    certs, ca_keys = tmp_path / "certs", tmp_path / "ca-key"
    certs.mkdir()
    ca_keys.mkdir()

    first = run_certs_init(certs, ca_keys)
    assert first.returncode == 0, first.stderr
    issued = {path.name: path.read_bytes() for path in certs.rglob("*") if path.is_file()}
    second = run_certs_init(certs, ca_keys)

    assert second.returncode == 0 and "keeping the certificates" in second.stdout
    assert {path.name: path.read_bytes() for path in certs.rglob("*") if path.is_file()} == issued
    assert set(issued) == {
        "ca.crt",
        "node.crt",
        "node.key",
        "client.root.crt",
        "client.root.key",
        "client.authsite.crt",
        "client.authsite.key",
        "redis.crt",
        "redis.key",
    }
    assert (certs / "redis" / "redis.key").exists() and [p.name for p in ca_keys.iterdir()] == ["ca.key"]
    for key in certs.rglob("*.key"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600, key.name
    if os.geteuid() == 0:
        assert (certs / "client.authsite.key").stat().st_uid == 10001
        assert (certs / "redis" / "redis.key").stat().st_uid == 999
        assert (certs / "node.key").stat().st_uid == 0


# --- Dockerfile and .dockerignore -----------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def test_dockerfile_is_multi_stage_on_slim_bookworm():
    froms = [args for op, args in dockerfile_instructions() if op == "FROM"]
    assert len(froms) >= 2
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in DOCKERFILE.read_text()
    assert froms[-1].startswith("${PYTHON_IMAGE}")


def test_dockerfile_runs_as_a_non_root_user():
    users = [args for op, args in dockerfile_instructions() if op == "USER"]
    assert users, "no USER instruction"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dockerfile_collects_static_files_with_build_only_values():
    runs = [args for op, args in dockerfile_instructions() if op == "RUN" and "collectstatic" in args]
    assert len(runs) == 1 and "--noinput" in runs[0]
    assert "DJANGO_SECRET_KEY=build-only-not-secret" in runs[0]
    envs = " ".join(args for op, args in dockerfile_instructions() if op in ("ENV", "ARG"))
    for name in ("DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "DATABASE_URL"):
        assert name not in envs, f"{name} would stay in the image"


def test_dockerfile_exposes_checks_health_and_starts_gunicorn():
    instructions = dict(dockerfile_instructions())
    assert instructions["EXPOSE"] == "8000"
    assert "healthcheck.py" in instructions["HEALTHCHECK"] and "python" in instructions["HEALTHCHECK"]
    assert instructions["CMD"] == '["gunicorn", "-c", "authsite/gunicorn.conf.py", "authsite.wsgi:application"]'


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for pattern in (".git", ".venv", "var", ".env", "certs/*", "*.key", ".pytest_cache", "staticfiles"):
        assert pattern in ignored, pattern
    assert "!certs/gencerts.py" in ignored  # the certs service runs it from the image


# --- gunicorn.conf.py -----------------------------------------------------------------------------


def gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "PORT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "authsite" / "gunicorn.conf.py"))


def test_gunicorn_defaults_suit_a_two_core_host(monkeypatch):
    settings = gunicorn_settings(monkeypatch)
    expected = {
        "workers": 2,
        "threads": 4,
        "worker_class": "gthread",
        "max_requests": 50_000,
        "max_requests_jitter": 5_000,
        "timeout": 30,
        "graceful_timeout": 30,
        "keepalive": 5,
        "bind": "0.0.0.0:8000",
        "accesslog": "-",
        "forwarded_allow_ips": "127.0.0.1,::1",
    }
    assert {name: settings[name] for name in expected} == expected


def test_gunicorn_reads_its_numbers_from_the_environment(monkeypatch):
    settings = gunicorn_settings(
        monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="8", PORT="9000", FORWARDED_ALLOW_IPS="10.0.0.5"
    )
    assert (settings["workers"], settings["threads"]) == (3, 8)
    assert settings["bind"] == "0.0.0.0:9000"
    assert settings["forwarded_allow_ips"] == "10.0.0.5"


def test_gunicorn_accepts_the_config():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "authsite/gunicorn.conf.py",
            "--check-config",
            "authsite.wsgi:application",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "DJANGO_ENV": "development"},
    )
    assert result.returncode == 0, result.stderr
