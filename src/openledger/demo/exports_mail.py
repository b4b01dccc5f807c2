"""The support mailbox as an mbox file (RFC 4155, messages per RFC 5322)."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from openledger.demo.company import SUPPORT_ADDRESS
from openledger.demo.plan import DemoCase, Plan
from openledger.demo.timing import LOCAL

MAILER = "support-inbox-export"


def message_id(case: DemoCase, part: str = "") -> str:
    """The Message-ID (without <>) of a case's first e-mail, or of its follow-up."""
    domain = case.person.email.split("@", 1)[1]
    return f"{case.number:06d}{part}.{case.person.number:05d}@{domain}"


def _email(case: DemoCase, when, text: str, subject: str, mid: str, parent: str | None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((case.person.name, case.person.email))
    msg["To"] = formataddr(("Northwind Wireless Care", SUPPORT_ADDRESS))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when.astimezone(LOCAL))
    msg["Message-ID"] = f"<{mid}>"
    if parent:
        msg["In-Reply-To"] = f"<{parent}>"
        msg["References"] = f"<{parent}>"
    msg["X-Mailer"] = MAILER
    msg.set_content(text)
    return msg


def write_mbox(plan: Plan, path: Path) -> int:
    """Write every e-mail case (and follow-up) into one mbox; returns the message count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    box = mailbox.mbox(str(path), create=True)
    count = 0
    box.lock()
    try:
        for case in plan.by_export("mbox"):
            first = message_id(case)
            box.add(_email(case, case.opened, case.message.text, case.message.subject, first, None))
            count += 1
            if case.follow_up:
                when, text = case.follow_up
                box.add(_email(case, when, text, f"Re: {case.message.subject}", message_id(case, "-2"), first))
                count += 1
        box.flush()
    finally:
        box.unlock()
        box.close()
    return count

