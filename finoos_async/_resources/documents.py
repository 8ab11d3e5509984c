"""``fino.documents``: send a PDF by fax or letter, and follow its shipment (provisional)."""

from __future__ import annotations

import base64
import os
from typing import TYPE_CHECKING

import anyio

from .._call import Call
from .._exceptions import InvalidInputError
from .._models.documents import DocumentShipment, FaxRecipient, LetterRecipient, ShipmentType
from .._validation import path_segment
from ._base import Resource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._options import CallOptions

__all__ = ["Documents"]

_PDF_MAGIC = b"%PDF-"
_LETTER_FIELDS = ("name", "street", "zip", "city", "country")


class Documents(Resource):
    """Documents: PDFs sent by fax or letter on your behalf."""

    async def send_fax(
        self,
        *,
        recipient: FaxRecipient,
        document: bytes | str | os.PathLike[str],
        **options: Unpack[CallOptions],
    ) -> DocumentShipment:
        """Send a PDF by fax (``POST /documentshipment``; provisional shape).

        ``document`` is the PDF's bytes, or the path of a PDF file (read without
        blocking the event loop). It is sent base64-encoded::

            shipment = await fino.documents.send_fax(
                recipient=FaxRecipient(fax_number="+4956112345678"),
                document=Path("invoice.pdf"),
            )

        Not retried once the request may have reached the server: a retry could
        send the fax twice. If that happens the ``APIConnectionError`` has
        ``request_sent=True``.

        Returns:
            The new shipment with its ``id`` and ``status`` (Send Document answers
            only those; ``fino.documents.get`` has the rest).

        Raises:
            InvalidInputError: ``recipient`` is not a ``FaxRecipient`` with a
                non-empty ``fax_number``, or ``document`` is empty, not a PDF, or a
                path that does not exist or cannot be read.
        """
        if not isinstance(recipient, FaxRecipient):
            raise InvalidInputError("recipient must be a finoos_async.FaxRecipient")
        _check_text("recipient.fax_number", recipient.fax_number)
        return await self._send(ShipmentType.FAX, recipient, document, options)

    async def send_letter(
        self,
        *,
        recipient: LetterRecipient,
        document: bytes | str | os.PathLike[str],
        **options: Unpack[CallOptions],
    ) -> DocumentShipment:
        """Send a PDF as a printed letter (``POST /documentshipment``; provisional shape).

        ``document`` is the PDF's bytes, or the path of a PDF file (read without
        blocking the event loop). It is sent base64-encoded::

            shipment = await fino.documents.send_letter(
                recipient=LetterRecipient(
                    name="fino run GmbH", street="Untere Königsstraße 86",
                    zip="34117", city="Kassel", country="DE",
                ),
                document=pdf_bytes,
            )

        Not retried once the request may have reached the server: a retry could
        post the letter twice. If that happens the ``APIConnectionError`` has
        ``request_sent=True``.

        Returns:
            The new shipment with its ``id`` and ``status`` (Send Document answers
            only those; ``fino.documents.get`` has the rest).

        Raises:
            InvalidInputError: ``recipient`` is not a ``LetterRecipient`` whose
                fields are all non-empty, or ``document`` is empty, not a PDF, or a
                path that does not exist or cannot be read.
        """
        if not isinstance(recipient, LetterRecipient):
            raise InvalidInputError("recipient must be a finoos_async.LetterRecipient")
        for field in _LETTER_FIELDS:
            _check_text(f"recipient.{field}", getattr(recipient, field))
        return await self._send(ShipmentType.LETTER, recipient, document, options)

    async def get(self, shipment_id: str, **options: Unpack[CallOptions]) -> DocumentShipment:
        """Get a shipment with its type, status and creation time (provisional shape).

        (``GET /documentshipment/{id}``.) A shipment starts ``QUEUED`` and ends
        ``SENT`` or ``FAILED``; poll this to follow it.

        Raises:
            InvalidInputError: ``shipment_id`` is empty.
            NotFoundError: No shipment has this id.
        """
        call = Call("GET", f"/documentshipment/{path_segment('shipment_id', shipment_id)}")
        return await self._call(call, options, lambda o: self._client._decode(o, DocumentShipment))

    async def _send(
        self,
        type: ShipmentType,
        recipient: FaxRecipient | LetterRecipient,
        document: bytes | str | os.PathLike[str],
        options: CallOptions,
    ) -> DocumentShipment:
        content = await _read_pdf(document)
        call = Call(
            "POST",
            "/documentshipment",
            json={
                "type": type.value,
                "recipient": self._client._encode(recipient),
                "document": {
                    "contentType": "application/pdf",
                    "content": base64.b64encode(content).decode("ascii"),
                },
            },
            has_body=True,
            # Each request sends a document: repeating one could deliver it twice.
            repeatable=False,
        )
        return await self._call(call, options, lambda o: self._client._decode(o, DocumentShipment))


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{name} must be a non-empty string, got {value!r}")


async def _read_pdf(document: bytes | str | os.PathLike[str]) -> bytes:
    """The PDF's bytes, from ``document`` itself or from the file it names."""
    if isinstance(document, (bytes, bytearray, memoryview)):
        content = bytes(document)
        what = "document"
    elif isinstance(document, str) and document.startswith("%PDF-"):
        raise InvalidInputError("document is a str holding PDF text; pass bytes or a file path")
    elif isinstance(document, (str, os.PathLike)):
        what = f"document file {os.fspath(document)!r}"
        try:
            content = await anyio.Path(document).read_bytes()
        except FileNotFoundError:
            raise InvalidInputError(f"{what} does not exist") from None
        except OSError as exc:
            raise InvalidInputError(f"{what} cannot be read: {exc.strerror or exc}") from None
    else:
        raise InvalidInputError(
            f"document must be PDF bytes or a path, not {type(document).__name__}"
        )
    if not content:
        raise InvalidInputError(f"{what} is empty")
    if not content.startswith(_PDF_MAGIC):
        raise InvalidInputError(f"{what} is not a PDF (it does not start with %PDF-)")
    return content
