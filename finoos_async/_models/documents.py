"""Document shipments: PDFs sent by fax or letter (Send Document; provisional shapes)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from ._common import StrEnum, extra_field

__all__ = ["DocumentShipment", "FaxRecipient", "LetterRecipient", "ShipmentStatus", "ShipmentType"]


class ShipmentType(StrEnum):
    """How a document is sent (provisional); an unknown value arrives as a plain ``str``."""

    FAX = "fax"
    LETTER = "letter"


class ShipmentStatus(StrEnum):
    """Where a shipment stands (provisional); an unknown value arrives as a plain ``str``."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class FaxRecipient:
    """Who receives a fax (provisional shape).

    Example::

        FaxRecipient(fax_number="+4956112345678")

    Attributes:
        fax_number: The fax number, ideally in international form (``faxNumber``).
        extra: More recipient fields, sent as given.
    """

    fax_number: str
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class LetterRecipient:
    """Who receives a letter, and where (provisional shape).

    Example::

        LetterRecipient(
            name="fino run GmbH", street="Untere Königsstraße 86",
            zip="34117", city="Kassel", country="DE",
        )

    Attributes:
        name: The addressee.
        street: Street and house number.
        zip: Postal code.
        city: City.
        country: Country (ISO 3166 code, e.g. ``"DE"``).
        extra: More recipient fields, sent as given.
    """

    name: str
    street: str
    zip: str
    city: str
    country: str
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class DocumentShipment:
    """A document sent by fax or letter (provisional shape).

    Send Document answers with ``id`` and ``status`` only; Get Document Shipment
    fills ``type`` and ``created_at`` too.

    Attributes:
        id: The shipment's id, for ``fino.documents.get``.
        type: ``ShipmentType.FAX`` or ``ShipmentType.LETTER`` (or a newer value as ``str``).
        status: ``ShipmentStatus.QUEUED``, ``SENT`` or ``FAILED`` (or a newer value as ``str``).
        created_at: When it was accepted (aware; ``createdAt``).
        extra: Fields this SDK version does not model, kept as received.
    """

    id: str
    type: ShipmentType | str | None = None
    status: ShipmentStatus | str | None = None
    created_at: datetime | None = None
    extra: Mapping[str, Any] = extra_field()
