"""A real IMAP server for tests: Debian's dovecot with a throwaway config, TLS and Maildir.

:func:`dovecot_server` writes a config into a temporary folder (a private
certificate authority and a server certificate for 127.0.0.1, one user with a
password, a Maildir), starts ``dovecot -F`` on a free port (implicit TLS,
IMAPS) and stops it afterwards. Mail is delivered by writing into the
Maildir, as a local delivery agent would. Without dovecot the tests skip,
and with ``CI=true`` they fail (CI installs Debian's ``dovecot-imapd``).
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import mailbox
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from webhook import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
USER, PASSWORD = "support", "imap-test-password"


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) for 127.0.0.1, made now."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "openledger test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    paths[2].chmod(0o600)
    return paths


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = {uid}
last_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
default_login_user = {login_user}
default_internal_user = {internal_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service auth {{
  user = {auth_user}
}}
service auth-worker {{
  user = {auth_user}
}}
"""


@dataclass
class Dovecot:
    """A running dovecot: where it listens, its CA, its user and Maildir."""

    port: int
    ca_file: Path
    maildir: Path
    root: Path
    process: subprocess.Popen
    user: str = USER
    password: str = PASSWORD

    def deliver(self, *messages: bytes) -> None:
        """Put messages into the user's INBOX as a delivery agent would."""
        box = mailbox.Maildir(self.maildir, create=True)
        try:
            for raw in messages:
                box.add(raw)
        finally:
            box.close()

    def poller_options(self, password_file: Path, **extra) -> dict:
        password_file.write_text(self.password + "\n")
        password_file.chmod(0o600)
        return {"type": "imap", "host": "127.0.0.1", "port": self.port, "user": self.user,
                "password_file": str(password_file), "ca_file": str(self.ca_file), **extra}


def _wait_for_tls(port: int, ca_file: Path, process: subprocess.Popen, log: Path) -> None:
    context = ssl.create_default_context(cafile=str(ca_file))
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited {process.returncode}: {log.read_text() if log.exists() else ''}")
        with contextlib.suppress(OSError):
            with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
                with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    if tls.recv(200).startswith(b"* OK"):
                        return
        if time.monotonic() > deadline:
            raise RuntimeError(f"dovecot did not answer on {port}: {log.read_text() if log.exists() else ''}")
        time.sleep(0.1)


@contextlib.contextmanager
def dovecot_server() -> Iterator[Dovecot]:
    """Start dovecot in a folder of its own (see the module docstring); skip (fail with CI=true) without it.

    Dovecot never reads mail as root: run by root, its mail processes run as
    the ``dovecot`` user, so the folder is made under /tmp, open to it (the
    test's own folders are private to root).
    """
    if not os.access(DOVECOT, os.X_OK):
        problem = f"dovecot is not installed ({DOVECOT}); apt-get install dovecot-imapd"
        if IN_CI:
            pytest.fail(problem + " (CI=true: the IMAP tests must run)")
        pytest.skip(problem)
    root = Path(tempfile.mkdtemp(prefix="openledger-dovecot-"))
    root.chmod(0o755)
    as_root = os.getuid() == 0
    mail_user = pwd.getpwnam("dovecot") if as_root else pwd.getpwuid(os.getuid())
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
    ca, cert, key = _certificates(root)
    port = free_port()
    me = pwd.getpwuid(os.getuid()).pw_name
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(
        root=root, cert=cert, key=key, port=port, uid=mail_user.pw_uid, gid=mail_user.pw_gid,
        login_user="dovenull" if as_root else me, internal_user="dovecot" if as_root else me, auth_user=me))
    maildir = root / "mail" / USER
    mailbox.Maildir(maildir, create=True).close()
    for folder in (root / "mail", root / "home", maildir, *(maildir / s for s in ("cur", "new", "tmp"))):
        folder.chmod(0o777)  # the mail processes (user dovecot) move and index what the test delivers
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        _wait_for_tls(port, ca, process, root / "dovecot.log")
        yield Dovecot(port, ca, maildir, root, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)
