from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Connect with the configured settings and show the server, TLS and user; fail if it cannot."

    def handle(self, *args, **options):
        try:
            connection.ensure_connection()
        except Exception as error:  # any failure, reported as one line
            raise CommandError(f"cannot connect to the database: {error}") from error
        for label, value in self._facts().items():
            self.stdout.write(f"{label}: {value}")

    def _facts(self) -> dict[str, str]:
        if connection.vendor == "sqlite":
            return {"engine": "sqlite (embedded)", "server": connection.Database.sqlite_version, "tls": "n/a"}
        info = connection.connection.info
        pgconn = connection.connection.pgconn
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            (version,) = cursor.fetchone()
        tls = "off"
        if pgconn.ssl_in_use:
            protocol = pgconn.ssl_attribute("protocol") or "?"
            cipher = pgconn.ssl_attribute("cipher") or "?"
            tls = f"{protocol} {cipher}"
        return {
            "engine": connection.settings_dict["ENGINE"],
            "server": version,
            "host": f"{info.host}:{info.port}",
            "database": info.dbname,
            "user": info.user,
            "tls": tls,
            "sslmode": connection.settings_dict.get("OPTIONS", {}).get("sslmode", "unset"),
        }
