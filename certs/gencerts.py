#!/usr/bin/env python3
"""Issue the TLS certificates that authsite, CockroachDB, PostgreSQL and Redis use to trust each other.

Standalone on purpose: it needs only the ``cryptography`` package (no Django), so an init container
or a laptop can run it. Files follow CockroachDB's certs-dir layout, which PostgreSQL and Redis can use
as they are:

    ca.crt                 CA certificate (may hold several during a CA rotation)     0644
    ca.key                 CA private key, in --ca-key-dir (default: --dir)           0600
    node.crt / node.key    server + client certificate of every database node, CN=node
    client.<user>.crt/key  client certificate, CN=<user> (the SQL user it logs in as)
    <name>.crt / <name>.key  server-only certificate for another service (Redis, say)

Keys are ECDSA P-256 by default (``--key-type rsa`` gives RSA 3072); CockroachDB, PostgreSQL, libpq,
Redis and OpenSSL accept both. The CA is never replaced without ``--force``; node, client and server
certificates are re-issued freely from the existing CA, which is how they are rotated.

    python certs/gencerts.py --dir certs/out all --host localhost --host 127.0.0.1 --client root
    python certs/gencerts.py --dir certs/out client authsite       # rotate one client certificate

Exit status: 0 on success, 1 when it refuses (existing CA, missing CA, bad name), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT = "ca.crt"
CA_KEY = "ca.key"
KEY_MODE = 0o600
CERT_MODE = 0o644
CA_DAYS = 5 * 365
LEAF_DAYS = 365
RSA_BITS = 3072
ORGANIZATION = "authsite"
# Certificates start an hour in the past so that a peer whose clock runs a little behind accepts them.
BACKDATE = datetime.timedelta(hours=1)
# CockroachDB folds SQL user names to lower case and PostgreSQL compares the CN with the role name
# byte for byte, so only a lower-case name can mean the same user to both. 63 bytes is both limits.
USER_NAME = re.compile(r"^[a-z0-9_][a-z0-9_.-]{0,62}$")
LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
DNS_NAME = re.compile(rf"^(\*\.)?{LABEL}(\.{LABEL})*$")
# File-name prefixes CockroachDB gives a meaning to; a --name among them would clobber or confuse them.
RESERVED_SERVER_NAMES = re.compile(r"^(ca|ca-client|ca-ui|ca-client-tenant|node|client|client-tenant)(\.|$)")

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class GencertsError(Exception):
    """A refusal the command line reports as one line on stderr and exit status 1."""


@dataclass(frozen=True)
class Authority:
    """The CA that signs: its certificate and the private key that matches it."""

    cert: x509.Certificate
    key: PrivateKey


@dataclass(frozen=True)
class Layout:
    """Where files go: the certs dir, and the dir that holds ca.key (often a safer place)."""

    certs_dir: Path
    ca_key_dir: Path

    @property
    def ca_cert(self) -> Path:
        return self.certs_dir / CA_CERT

    @property
    def ca_key(self) -> Path:
        return self.ca_key_dir / CA_KEY


# --- Keys and files -------------------------------------------------------------------------------


def new_private_key(key_type: str) -> PrivateKey:
    """A fresh key: ECDSA P-256 (small, fast handshakes) or RSA 3072."""
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    return ec.generate_private_key(ec.SECP256R1())


def key_pem(key: PrivateKey) -> bytes:
    """Unencrypted PKCS#8 PEM, the form libpq, CockroachDB, Redis and Python's ssl all read."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def cert_pem(*certs: x509.Certificate) -> bytes:
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


def write_file(path: Path, data: bytes, mode: int, *, overwrite: bool) -> None:
    """Write ``data`` to ``path`` with exactly ``mode`` from the moment the file exists.

    The file is created empty with ``mode`` and set to it again before any byte is written (the umask
    may have narrowed it, and a cert must stay world-readable), so a key is never readable by others,
    not even for an instant. With ``overwrite`` the new file goes in under a temporary name and is
    renamed over the old one, so a reader sees the old file or the new one, never half of either.
    Without it, an existing file is an error and is left untouched.
    """
    target = path.with_name(f".{path.name}.{os.getpid()}.tmp") if overwrite else path
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(target, path)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def write_pair(directory: Path, stem: str, cert: x509.Certificate, key: PrivateKey) -> None:
    """Write ``<stem>.key`` then ``<stem>.crt``, replacing any older pair (that is a rotation)."""
    write_file(directory / f"{stem}.key", key_pem(key), KEY_MODE, overwrite=True)
    write_file(directory / f"{stem}.crt", cert_pem(cert), CERT_MODE, overwrite=True)
    report(directory / f"{stem}.crt", directory / f"{stem}.key")


def report(*paths: Path) -> None:
    for path in paths:
        print(f"wrote {path} ({path.stat().st_mode & 0o777:04o})")


# --- Certificates -----------------------------------------------------------------------------------


def name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def build_ca(*, common_name: str, days: int, key: PrivateKey) -> x509.Certificate:
    """A self-signed CA that may sign leaf certificates only (path length 0)."""
    start = now() - BACKDATE
    return (
        x509.CertificateBuilder()
        .subject_name(name(common_name))
        .issuer_name(name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage(ca=True, key=key), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def build_leaf(
    *,
    authority: Authority,
    common_name: str,
    key: PrivateKey,
    days: int,
    usages: list[x509.ObjectIdentifier],
    hosts: list[str] | None = None,
) -> x509.Certificate:
    """A certificate for ``common_name`` signed by ``authority``, never outliving it."""
    start = now() - BACKDATE
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(common_name))
        .issuer_name(authority.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(leaf_expiry(authority, start + datetime.timedelta(days=days)))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage(ca=False, key=key), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False)
    )
    if hosts:
        builder = builder.add_extension(x509.SubjectAlternativeName(san_entries(hosts)), critical=False)
    return builder.sign(authority.key, hashes.SHA256())


def key_usage(*, ca: bool, key: PrivateKey) -> x509.KeyUsage:
    """CA: signs certificates and CRLs. Leaf: signs handshakes, and with RSA also encrypts the secret."""
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=not ca and isinstance(key, rsa.RSAPrivateKey),
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def leaf_expiry(authority: Authority, wanted: datetime.datetime) -> datetime.datetime:
    """``wanted``, cut to the CA's own expiry: a chain is only valid as long as its CA."""
    ca_expiry = authority.cert.not_valid_after_utc
    if wanted <= ca_expiry:
        return wanted
    print(f"warning: certificate cut to the CA's expiry, {ca_expiry:%Y-%m-%d}", file=sys.stderr)
    return ca_expiry


def san_entries(hosts: list[str]) -> list[x509.GeneralName]:
    """IP addresses become IP SANs, everything else a DNS SAN (verify-full checks either)."""
    entries: list[x509.GeneralName] = []
    for host in hosts:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            entries.append(x509.DNSName(host))
    return entries


# --- Validation of what the user typed --------------------------------------------------------------


def clean_hosts(hosts: list[str]) -> list[str]:
    """Lower-cased, de-duplicated host names and IPs, in the order given; refuses a malformed one."""
    cleaned: list[str] = []
    for raw in hosts:
        host = raw.strip().lower()
        if not (is_ip(host) or DNS_NAME.match(host)):
            raise GencertsError(f"not a host name or IP address: {raw!r}")
        if host not in cleaned:
            cleaned.append(host)
    if not cleaned:
        raise GencertsError("at least one --host is needed")
    return cleaned


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_user(user: str) -> str:
    if not USER_NAME.match(user):
        raise GencertsError(
            f"not a valid SQL user name for certificate auth: {user!r} "
            "(lower-case letters, digits, '_', '.', '-'; at most 63; the CN must equal the user)"
        )
    return user


def check_server_name(server: str) -> str:
    if not USER_NAME.match(server) or RESERVED_SERVER_NAMES.match(server):
        raise GencertsError(
            f"not a usable server certificate name: {server!r} (use e.g. 'redis'; names starting "
            "with ca, node or client are CockroachDB's)"
        )
    return server


# --- The CA ---------------------------------------------------------------------------------------


def refuse_existing_ca(layout: Layout) -> None:
    """Stop before anything is written if a CA (certificate or key) is already there."""
    existing = [str(path) for path in (layout.ca_cert, layout.ca_key) if path.exists()]
    if existing:
        raise GencertsError(
            f"a CA already exists ({', '.join(existing)}); replacing it would invalidate every "
            "certificate it signed. Re-issue node/client certificates with the existing CA, or pass "
            "--force to replace the CA (see certs/README.md, 'Rotating the CA')."
        )


def create_ca(layout: Layout, *, key_type: str, days: int, common_name: str, force: bool) -> Authority:
    """Make a new CA; without ``force`` an existing one is an error and is left as it was."""
    if not force:
        refuse_existing_ca(layout)
    key = new_private_key(key_type)
    cert = build_ca(common_name=common_name, days=days, key=key)
    # O_EXCL in write_file backs up the check above against a concurrent run.
    write_file(layout.ca_key, key_pem(key), KEY_MODE, overwrite=force)
    write_file(layout.ca_cert, cert_pem(cert), CERT_MODE, overwrite=force)
    report(layout.ca_cert, layout.ca_key)
    return Authority(cert=cert, key=key)


def load_ca(layout: Layout) -> Authority:
    """The CA key and, from ca.crt (a bundle during a CA rotation), the certificate it belongs to."""
    if not layout.ca_cert.exists() or not layout.ca_key.exists():
        raise GencertsError(f"no CA found (need {layout.ca_cert} and {layout.ca_key}); run the 'ca' command first")
    key = serialization.load_pem_private_key(layout.ca_key.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise GencertsError(f"{layout.ca_key}: unsupported key type {type(key).__name__}")
    for cert in x509.load_pem_x509_certificates(layout.ca_cert.read_bytes()):
        if cert.public_key() == key.public_key():
            return Authority(cert=cert, key=key)
    raise GencertsError(f"{layout.ca_key} matches no certificate in {layout.ca_cert}")


# --- Leaves ---------------------------------------------------------------------------------------


def issue_node(layout: Layout, authority: Authority, *, hosts: list[str], key_type: str, days: int) -> None:
    """node.crt/node.key: CN=node, serverAuth + clientAuth (nodes also dial each other as user node)."""
    key = new_private_key(key_type)
    cert = build_leaf(
        authority=authority,
        common_name="node",
        key=key,
        days=days,
        usages=[ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH],
        hosts=hosts,
    )
    write_pair(layout.certs_dir, "node", cert, key)


def issue_client(layout: Layout, authority: Authority, *, user: str, key_type: str, days: int) -> None:
    """client.<user>.crt/key: CN=<user>, clientAuth, for certificate login as that SQL user."""
    key = new_private_key(key_type)
    cert = build_leaf(
        authority=authority,
        common_name=user,
        key=key,
        days=days,
        usages=[ExtendedKeyUsageOID.CLIENT_AUTH],
    )
    write_pair(layout.certs_dir, f"client.{user}", cert, key)


def issue_server(
    layout: Layout, authority: Authority, *, server: str, hosts: list[str], key_type: str, days: int
) -> None:
    """<name>.crt/key: CN=<name>, serverAuth only, for a service that is no database node."""
    key = new_private_key(key_type)
    cert = build_leaf(
        authority=authority,
        common_name=server,
        key=key,
        days=days,
        usages=[ExtendedKeyUsageOID.SERVER_AUTH],
        hosts=hosts,
    )
    write_pair(layout.certs_dir, server, cert, key)


# --- Commands -------------------------------------------------------------------------------------


def command_ca(args: argparse.Namespace, layout: Layout) -> None:
    create_ca(layout, key_type=args.key_type, days=args.ca_days, common_name=args.ca_cn, force=args.force)


def command_node(args: argparse.Namespace, layout: Layout) -> None:
    hosts = clean_hosts(args.hosts)
    issue_node(layout, load_ca(layout), hosts=hosts, key_type=args.key_type, days=args.days)


def command_client(args: argparse.Namespace, layout: Layout) -> None:
    users = [check_user(user) for user in args.users]
    authority = load_ca(layout)
    for user in users:
        issue_client(layout, authority, user=user, key_type=args.key_type, days=args.days)


def command_server(args: argparse.Namespace, layout: Layout) -> None:
    server, hosts = check_server_name(args.name), clean_hosts(args.hosts)
    issue_server(layout, load_ca(layout), server=server, hosts=hosts, key_type=args.key_type, days=args.days)


def command_all(args: argparse.Namespace, layout: Layout) -> None:
    """CA, node and clients in one go; every input is checked before the first file is written."""
    hosts, users = clean_hosts(args.hosts), [check_user(user) for user in args.clients]
    authority = create_ca(layout, key_type=args.key_type, days=args.ca_days, common_name=args.ca_cn, force=args.force)
    issue_node(layout, authority, hosts=hosts, key_type=args.key_type, days=args.days)
    for user in users:
        issue_client(layout, authority, user=user, key_type=args.key_type, days=args.days)


# --- Command line ---------------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of days: {text}")
    return value


def add_common_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    """--dir, --ca-key-dir and --key-type, accepted before or after the command.

    On the sub-commands their default is SUPPRESS, so a value given before the command survives.
    """

    def default(value):
        return value if top_level else argparse.SUPPRESS

    parser.add_argument(
        "--dir", type=Path, default=default(Path("certs/out")), help="certs directory (default: certs/out)"
    )
    parser.add_argument(
        "--ca-key-dir",
        type=Path,
        default=default(None),
        help="directory for ca.key, kept away from the services (default: the certs directory)",
    )
    parser.add_argument(
        "--key-type",
        choices=["ecdsa", "rsa"],
        default=default("ecdsa"),
        help="ECDSA P-256 (default) or RSA 3072, for new keys",
    )


def add_validity(parser: argparse.ArgumentParser, *, ca: bool, leaf: bool) -> None:
    if ca:
        parser.add_argument("--ca-days", type=positive_int, default=CA_DAYS, help=f"CA validity (default {CA_DAYS})")
        parser.add_argument("--ca-cn", default="authsite CA", help="CA common name (default 'authsite CA')")
        parser.add_argument("--force", action="store_true", help="replace an existing CA (cert and key)")
    if leaf:
        parser.add_argument(
            "--days", type=positive_int, default=LEAF_DAYS, help=f"certificate validity (default {LEAF_DAYS})"
        )


def add_hosts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        dest="hosts",
        action="append",
        required=True,
        metavar="HOST",
        help="DNS name or IP the server answers on; repeat for each (all go into subjectAltName)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gencerts.py",
        description="Issue a CA and CockroachDB-style node/client certificates (ca.crt, node.crt, "
        "client.<user>.crt) for verify-full TLS to CockroachDB, PostgreSQL and Redis.",
    )
    add_common_options(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        add_common_options(sub, top_level=False)
        sub.set_defaults(handler=handler)
        return sub

    ca = command("ca", command_ca, "create the CA (refuses to replace one without --force)")
    add_validity(ca, ca=True, leaf=False)

    node = command("node", command_node, "issue node.crt/node.key (CN=node, serverAuth+clientAuth)")
    add_hosts(node)
    add_validity(node, ca=False, leaf=True)

    client = command("client", command_client, "issue client.<user>.crt/key (CN=<user>, clientAuth)")
    client.add_argument("users", nargs="+", metavar="USER", help="SQL user name(s); the CN equals it")
    add_validity(client, ca=False, leaf=True)

    server = command("server", command_server, "issue <name>.crt/key (CN=<name>, serverAuth), e.g. for Redis")
    server.add_argument("name", metavar="NAME", help="file and common name, e.g. redis")
    add_hosts(server)
    add_validity(server, ca=False, leaf=True)

    every = command("all", command_all, "create the CA, node.crt and client certificates in one go")
    add_hosts(every)
    every.add_argument("--client", dest="clients", action="append", default=[], metavar="USER", help="repeat per user")
    add_validity(every, ca=True, leaf=True)
    return parser


def make_dirs(layout: Layout) -> None:
    """The certs dir is 0755: services running as other users must reach ca.crt and their own key.

    A separate CA key dir is 0700: only whoever issues certificates has any business there.
    """
    layout.certs_dir.mkdir(mode=0o755, parents=True, exist_ok=True)
    if layout.ca_key_dir != layout.certs_dir:
        layout.ca_key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    layout = Layout(certs_dir=args.dir, ca_key_dir=args.ca_key_dir or args.dir)
    try:
        make_dirs(layout)
        args.handler(args, layout)
    except (GencertsError, OSError, ValueError) as error:
        print(f"gencerts: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
