import socket
import ssl
import struct

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

# PostgreSQL's SSLRequest: length 8, then the magic code 80877103.
SSL_REQUEST = struct.pack("!ii", 8, 80877103)


class Command(BaseCommand):
    help = "Connect with the configured settings and show the server, TLS and user; fail if it cannot."

    def handle(self, *args, **options):
        try:
            connection.ensure_connection()
            facts = self._facts()
        except Exception as error:  # any failure, reported as one line
            raise CommandError(f"cannot connect to the database: {error}".splitlines()[0]) from error
        for label, value in facts.items():
            self.stdout.write(f"{label}: {value}")

    def _facts(self) -> dict[str, str]:
        if connection.vendor == "sqlite":
            return {"engine": "sqlite (embedded)", "server": connection.Database.sqlite_version, "tls": "n/a"}
        info = connection.connection.info
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            (version,) = cursor.fetchone()
        return {
            "engine": connection.settings_dict["ENGINE"],
            "server": version,
            "host": f"{info.host}:{info.port}",
            "database": info.dbname,
            "user": info.user,
            "tls": _tls_of_this_connection() or _tls_by_handshake(connection.settings_dict),
            "sslmode": connection.settings_dict.get("OPTIONS", {}).get("sslmode", "unset"),
        }


def _tls_of_this_connection() -> str | None:
    """What PostgreSQL says about our own connection; ``None`` where it cannot (CockroachDB)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    if row is None or not row[0]:
        return "off"
    return f"{row[1]} {row[2]}"


def _tls_by_handshake(settings_dict) -> str:
    """Open one more TLS session the way libpq does and report what the server negotiated."""
    options = settings_dict.get("OPTIONS", {})
    context = ssl.create_default_context(cafile=options.get("sslrootcert"))
    if options.get("sslcert"):
        context.load_cert_chain(options["sslcert"], options.get("sslkey"))
    with socket.create_connection((settings_dict["HOST"], int(settings_dict["PORT"])), timeout=5) as raw:
        raw.sendall(SSL_REQUEST)
        if raw.recv(1) != b"S":
            return "off"
        with context.wrap_socket(raw, server_hostname=settings_dict["HOST"]) as tls:
            return f"{tls.version()} {tls.cipher()[0]}"
