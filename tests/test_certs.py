"""certs/gencerts.py: what it writes, what it refuses, and that real servers accept what it writes.

The last part is the proof that matters: PostgreSQL 15 and Redis, started with these certificates,
let in a verify-full client that presents client.<user>.crt and turn away every other one.
"""

import ipaddress
import os
import stat
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store
from redis.backoff import NoBackoff
from redis.retry import Retry

from tests.servers import start_tls_postgres, start_tls_redis

GENCERTS = Path(__file__).resolve().parent.parent / "certs" / "gencerts.py"
NODE_HOSTS = ["localhost", "127.0.0.1", "crdb1"]
USERS = ["root", "authsite"]
NO_RETRY = Retry(NoBackoff(), 0)  # a refusal is the expected answer: no need to ask three times


def gencerts(*args, umask: int | None = None) -> subprocess.CompletedProcess:
    """Run the script the way an init container does: a separate process, no Django around."""
    return subprocess.run(
        [sys.executable, str(GENCERTS), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def issue_all(certs: Path, ca_keys: Path, *extra) -> subprocess.CompletedProcess:
    hosts = [arg for host in NODE_HOSTS for arg in ("--host", host)]
    clients = [arg for user in USERS for arg in ("--client", user)]
    result = gencerts("--dir", certs, "--ca-key-dir", ca_keys, *extra, "all", *hosts, *clients)
    assert result.returncode == 0, result.stderr
    return result


def client_verifier(store: Store):
    """Web-PKI rules, except that a client certificate names its user by CN, as CockroachDB and
    PostgreSQL read it, and needs no subjectAltName (``cockroach cert create-client`` adds none)."""
    leaf = ExtensionPolicy.webpki_defaults_ee().may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
    return (
        PolicyBuilder()
        .store(store)
        .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=leaf)
        .build_client_verifier()
    )


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def eku(cert: x509.Certificate) -> set:
    return set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


def common_name(cert: x509.Certificate) -> str:
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """One CA, node and client certificates, as `gencerts all` makes them; the CA key kept apart."""
    root = tmp_path_factory.mktemp("issued")
    certs, ca_keys = root / "certs", root / "ca-key"
    issue_all(certs, ca_keys)
    return certs


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory):
    """A second, unrelated CA: nothing it signs or trusts may get through."""
    certs = tmp_path_factory.mktemp("other")
    assert gencerts("--dir", certs, "all", "--host", "localhost", "--client", "authsite").returncode == 0
    return certs


# --- What gencerts writes -------------------------------------------------------------------------


def test_writes_the_cockroachdb_layout_with_the_ca_key_apart(issued):
    names = sorted(path.name for path in issued.iterdir())
    assert names == sorted(
        ["ca.crt", "node.crt", "node.key"] + [f"client.{u}.{ext}" for u in USERS for ext in ("crt", "key")]
    )
    assert (issued.parent / "ca-key" / "ca.key").exists()


def test_keys_are_0600_and_certificates_0644(issued):
    for path in issued.iterdir():
        assert mode(path) == (0o600 if path.suffix == ".key" else 0o644), path.name
    assert mode(issued.parent / "ca-key" / "ca.key") == 0o600
    assert mode(issued.parent / "ca-key") == 0o700


@pytest.mark.parametrize("umask", [0o000, 0o077])
def test_file_modes_do_not_depend_on_the_umask(tmp_path, umask):
    """Keys are never wider than 0600 under a lax umask; certs stay readable under a strict one."""
    result = gencerts("--dir", tmp_path, "all", "--host", "localhost", "--client", "authsite", umask=umask)
    assert result.returncode == 0, result.stderr
    assert mode(tmp_path / "ca.key") == mode(tmp_path / "client.authsite.key") == 0o600
    assert mode(tmp_path / "ca.crt") == mode(tmp_path / "node.crt") == 0o644


def test_node_and_client_certificates_chain_to_the_ca(issued):
    ca = load(issued / "ca.crt")
    store = Store([ca])
    node = load(issued / "node.crt")
    for subject in (
        x509.DNSName("crdb1"),
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ):
        verifier = PolicyBuilder().store(store).build_server_verifier(subject)
        assert verifier.verify(node, [])[-1] == ca
    for user in USERS:
        client = load(issued / f"client.{user}.crt")
        client.verify_directly_issued_by(ca)
        assert client_verifier(store).verify(client, []).chain[-1] == ca


def test_node_certificate_names_every_host_and_is_cn_node(issued):
    node = load(issued / "node.crt")
    sans = node.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["localhost", "crdb1"]
    assert sans.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]
    assert common_name(node) == "node"


def test_node_may_serve_and_dial_clients_may_only_dial(issued):
    assert eku(load(issued / "node.crt")) == {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH}
    for user in USERS:
        client = load(issued / f"client.{user}.crt")
        assert eku(client) == {ExtendedKeyUsageOID.CLIENT_AUTH}
        assert common_name(client) == user


def test_ca_is_a_ca_and_leaves_are_not(issued):
    ca = load(issued / "ca.crt").extensions.get_extension_for_class(x509.BasicConstraints).value
    leaf = load(issued / "node.crt").extensions.get_extension_for_class(x509.BasicConstraints).value
    assert (ca.ca, ca.path_length, leaf.ca) == (True, 0, False)


def test_default_validity_is_five_years_for_the_ca_and_one_for_leaves(issued):
    def days(cert):
        return (cert.not_valid_after_utc - cert.not_valid_before_utc).days

    assert days(load(issued / "ca.crt")) == 5 * 365
    assert days(load(issued / "node.crt")) == 365


def test_a_leaf_never_outlives_its_ca(tmp_path):
    assert gencerts("--dir", tmp_path, "all", "--ca-days", 30, "--days", 365, "--host", "localhost").returncode == 0
    assert load(tmp_path / "node.crt").not_valid_after_utc == load(tmp_path / "ca.crt").not_valid_after_utc


def test_rsa_keys_on_request(tmp_path):
    assert gencerts("--dir", tmp_path, "--key-type", "rsa", "all", "--host", "localhost").returncode == 0
    key = load(tmp_path / "node.crt").public_key()
    assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 3072
    assert isinstance(load(tmp_path / "ca.crt").public_key(), rsa.RSAPublicKey)


def test_ecdsa_p256_by_default(issued):
    key = load(issued / "node.crt").public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"


def test_runs_without_django(tmp_path):
    """An init container has only `cryptography`: the script must not pull Django in."""
    probe = (
        "import runpy, sys; sys.argv = ['gencerts.py', '--dir', sys.argv[1], 'ca'];"
        f"\ntry: runpy.run_path({str(GENCERTS)!r}, run_name='__main__')"
        "\nexcept SystemExit as done: assert done.code == 0"
        "\nassert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# --- What gencerts refuses ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["ca"], ["all", "--host", "localhost"]])
def test_never_replaces_a_ca_without_force(tmp_path, command):
    certs, keys = tmp_path / "certs", tmp_path / "keys"
    issue_all(certs, keys)
    before = {path: path.read_bytes() for path in [*certs.iterdir(), keys / "ca.key"]}

    result = gencerts("--dir", certs, "--ca-key-dir", keys, *command)

    assert result.returncode != 0
    assert "--force" in result.stderr and "already exists" in result.stderr
    assert {path: path.read_bytes() for path in before} == before  # nothing at all was written


def test_refuses_even_when_only_the_ca_key_is_left(tmp_path):
    issue_all(tmp_path / "certs", tmp_path / "keys")
    (tmp_path / "certs" / "ca.crt").unlink()
    assert gencerts("--dir", tmp_path / "certs", "--ca-key-dir", tmp_path / "keys", "ca").returncode == 1


def test_force_replaces_the_ca(tmp_path):
    certs, keys = tmp_path / "certs", tmp_path / "keys"
    issue_all(certs, keys)
    old_ca, old_key = (certs / "ca.crt").read_bytes(), (keys / "ca.key").read_bytes()

    result = gencerts("--dir", certs, "--ca-key-dir", keys, "ca", "--force")

    assert result.returncode == 0, result.stderr
    assert (certs / "ca.crt").read_bytes() != old_ca and (keys / "ca.key").read_bytes() != old_key
    assert mode(keys / "ca.key") == 0o600
    with pytest.raises(InvalidSignature):  # the old node certificate no longer chains to the new CA
        load(certs / "node.crt").verify_directly_issued_by(load(certs / "ca.crt"))


def test_reissuing_node_and_client_certificates_keeps_the_ca(tmp_path):
    """Rotation of leaves: new keys and certificates, the same CA, no --force needed."""
    certs, keys = tmp_path / "certs", tmp_path / "keys"
    issue_all(certs, keys)
    ca = (certs / "ca.crt").read_bytes()
    old_node, old_client = (certs / "node.key").read_bytes(), (certs / "client.authsite.key").read_bytes()

    assert gencerts("--dir", certs, "--ca-key-dir", keys, "node", "--host", "crdb1").returncode == 0
    assert gencerts("client", "authsite", "--dir", certs, "--ca-key-dir", keys).returncode == 0  # options after

    assert (certs / "ca.crt").read_bytes() == ca
    assert (certs / "node.key").read_bytes() != old_node
    assert (certs / "client.authsite.key").read_bytes() != old_client
    assert mode(certs / "node.key") == mode(certs / "client.authsite.key") == 0o600
    for name in ("node.crt", "client.authsite.crt"):
        load(certs / name).verify_directly_issued_by(load(certs / "ca.crt"))


def test_leaves_are_signed_by_the_ca_whose_key_is_present_during_a_ca_rotation(tmp_path):
    """ca.crt holds new + old CA during the overlap; new leaves come from the new CA's key."""
    old, new = tmp_path / "old", tmp_path / "new"
    issue_all(old, old)
    assert gencerts("--dir", new, "ca").returncode == 0
    (old / "ca.crt").write_bytes((new / "ca.crt").read_bytes() + (old / "ca.crt").read_bytes())
    (old / "ca.key").unlink()
    (old / "ca.key").write_bytes((new / "ca.key").read_bytes())

    assert gencerts("--dir", old, "client", "authsite").returncode == 0

    load(old / "client.authsite.crt").verify_directly_issued_by(load(new / "ca.crt"))
    bundle = Store(x509.load_pem_x509_certificates((old / "ca.crt").read_bytes()))
    for name in ("client.authsite.crt", "client.root.crt"):  # new and not-yet-rotated both verify
        client_verifier(bundle).verify(load(old / name), [])


def test_leaves_need_a_ca(tmp_path):
    result = gencerts("--dir", tmp_path, "client", "authsite")
    assert result.returncode == 1 and "no CA found" in result.stderr


@pytest.mark.parametrize("user", ["Authsite", "auth site", "a/b", "a" * 64, "ünïcode"])
def test_client_names_must_be_usable_as_sql_users(tmp_path, user):
    assert gencerts("--dir", tmp_path, "ca").returncode == 0
    result = gencerts("--dir", tmp_path, "client", user)
    assert result.returncode == 1 and "SQL user name" in result.stderr


@pytest.mark.parametrize("host", ["bad_host", "exa mple.com", ""])
def test_malformed_hosts_are_refused(tmp_path, host):
    result = gencerts("--dir", tmp_path, "all", "--host", host)
    assert result.returncode == 1
    assert not (tmp_path / "ca.crt").exists()  # checked before anything is written


@pytest.mark.parametrize("name", ["ca", "node", "client.root"])
def test_server_certificates_cannot_take_cockroachdb_file_names(tmp_path, name):
    assert gencerts("--dir", tmp_path, "ca").returncode == 0
    assert gencerts("--dir", tmp_path, "server", name, "--host", "redis").returncode == 1


def test_server_certificate_for_another_service(issued, tmp_path):
    certs = tmp_path / "certs"
    issue_all(certs, tmp_path / "keys")
    result = gencerts("--dir", certs, "--ca-key-dir", tmp_path / "keys", "server", "redis", "--host", "redis")
    assert result.returncode == 0, result.stderr
    cert = load(certs / "redis.crt")
    assert (common_name(cert), eku(cert)) == ("redis", {ExtendedKeyUsageOID.SERVER_AUTH})
    assert mode(certs / "redis.key") == 0o600
    verifier = PolicyBuilder().store(Store([load(certs / "ca.crt")])).build_server_verifier(x509.DNSName("redis"))
    verifier.verify(cert, [])


def test_no_arguments_is_a_usage_error():
    assert gencerts().returncode == 2


# --- The proof: real servers accept these certificates, and only these ---------------------------


@pytest.fixture(scope="module")
def postgres(issued, tmp_path_factory):
    server = start_tls_postgres(issued, tmp_path_factory.mktemp("postgres"))
    yield server
    server.stop()


def test_postgres_lets_in_a_verify_full_client_with_its_certificate(postgres, issued):
    with psycopg.connect(**postgres.conninfo(issued)) as connection:
        row = connection.execute(
            "SELECT current_user, ssl, current_setting('default_transaction_isolation')"
            " FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        ).fetchone()
    assert row == ("authsite", True, "serializable")


def test_postgres_accepts_the_host_name_as_well_as_the_ip(postgres, issued):
    with psycopg.connect(**postgres.conninfo(issued, host="localhost", hostaddr="127.0.0.1")) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_the_certificate_user_may_create_databases(postgres, issued):
    """pytest-django creates its own test database as this user."""
    with psycopg.connect(**postgres.conninfo(issued), autocommit=True) as connection:
        connection.execute("CREATE DATABASE test_createdb_probe")
        connection.execute("DROP DATABASE test_createdb_probe")


def test_postgres_database_url_is_usable(postgres, issued):
    url = postgres.database_url(issued)
    assert url.startswith(f"postgres://authsite@127.0.0.1:{postgres.port}/authsite?sslmode=verify-full")
    with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=10) as connection:
        assert connection.execute("SELECT current_user").fetchone() == ("authsite",)


def refused(postgres, issued, message: str, **overrides) -> None:
    with pytest.raises(psycopg.OperationalError, match=message):
        psycopg.connect(**postgres.conninfo(issued, **overrides))


def test_postgres_refuses_a_client_that_trusts_another_ca(postgres, issued, other_ca):
    refused(postgres, issued, "certificate verify failed", sslrootcert=str(other_ca / "ca.crt"))


def test_postgres_refuses_a_host_name_not_in_the_certificate(postgres, issued):
    refused(postgres, issued, "does not match host name", host="not-in-sans.invalid", hostaddr="127.0.0.1")


def test_postgres_refuses_a_client_without_a_certificate(postgres, issued, tmp_path):
    missing = str(tmp_path / "absent")
    refused(postgres, issued, "requires a valid client certificate", sslcert=missing, sslkey=missing)


def test_postgres_refuses_a_certificate_for_another_user(postgres, issued):
    root = {"sslcert": str(issued / "client.root.crt"), "sslkey": str(issued / "client.root.key")}
    refused(postgres, issued, "certificate authentication failed", **root)


def test_postgres_refuses_a_client_certificate_from_another_ca(postgres, issued, other_ca):
    stranger = {"sslcert": str(other_ca / "client.authsite.crt"), "sslkey": str(other_ca / "client.authsite.key")}
    refused(postgres, issued, "unknown ca", **stranger)


def test_postgres_refuses_plain_tcp(postgres, issued):
    refused(postgres, issued, "no pg_hba.conf entry", sslmode="disable")


@pytest.fixture(scope="module")
def redis_server(issued, tmp_path_factory):
    server = start_tls_redis(issued, tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


def test_redis_answers_a_client_that_verifies_it(redis_server, issued):
    client = redis.Redis(**redis_server.client_kwargs(issued))
    try:
        assert client.ping() is True
        assert redis_server.url == f"rediss://127.0.0.1:{redis_server.port}/0"
    finally:
        client.close()


def test_redis_is_refused_by_a_client_that_trusts_another_ca(redis_server, issued, other_ca):
    client = redis.Redis(**redis_server.client_kwargs(issued, ssl_ca_certs=str(other_ca / "ca.crt")), retry=NO_RETRY)
    with pytest.raises(redis.ConnectionError, match="certificate verify failed"):
        client.ping()


def test_redis_requiring_client_certificates(issued, tmp_path):
    server = start_tls_redis(issued, tmp_path, client_auth="yes")
    try:
        with_cert = server.client_kwargs(
            issued,
            ssl_certfile=str(issued / "client.authsite.crt"),
            ssl_keyfile=str(issued / "client.authsite.key"),
        )
        assert redis.Redis(**with_cert).ping() is True
        with pytest.raises(redis.ConnectionError):
            redis.Redis(**server.client_kwargs(issued), retry=NO_RETRY).ping()
    finally:
        server.stop()
    assert (tmp_path / "redis.log").exists()


def test_generated_files_are_ignored_by_git_and_the_generator_is_not():
    root = GENCERTS.parent.parent
    generated = ["certs/out/ca.crt", "certs/ca-key/ca.key", "certs/node.key", "elsewhere/client.root.key"]
    kept = ["certs/gencerts.py", "certs/README.md", "certs/__init__.py"]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *generated, *kept], capture_output=True, text=True, cwd=root
    ).stdout.split()
    assert ignored == generated
