"""fino.documents: send PDFs by fax or letter, and follow the shipment."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from finoos_async import (
    CallNext,
    DocumentShipment,
    FaxRecipient,
    InternalServerError,
    InvalidInputError,
    LetterRecipient,
    NotFoundError,
    PermissionDeniedError,
    ShipmentStatus,
    ShipmentType,
    _json,
)
from finoos_async.sandbox import FakeClock, Fault, Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
FAX = FaxRecipient(fax_number="+4956112345678")
LETTER = LetterRecipient(
    name="fino Testfirma GmbH", street="Königsplatz 1", zip="34117", city="Kassel", country="DE"
)


async def test_send_fax_from_bytes(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """A fax goes out as type, camelCase recipient and the PDF base64-encoded; it starts queued."""
    async with make_client() as fino:
        shipment = await fino.documents.send_fax(recipient=FAX, document=PDF)
    assert isinstance(shipment, DocumentShipment)
    assert shipment.id
    assert shipment.status is ShipmentStatus.QUEUED
    [entry] = sandbox.journal.for_route("POST /documentshipment")
    assert entry.json() == {
        "type": "fax",
        "recipient": {"faxNumber": "+4956112345678"},
        "document": {"contentType": "application/pdf", "content": base64.b64encode(PDF).decode()},
    }


async def test_send_letter_from_a_path(
    make_client: ClientFactory, sandbox: Sandbox, tmp_path: Path
) -> None:
    """A PDF file's bytes are read from a Path (or a str path) and sent as a letter."""
    pdf_file = tmp_path / "invoice.pdf"
    pdf_file.write_bytes(PDF)
    async with make_client() as fino:
        from_path = await fino.documents.send_letter(recipient=LETTER, document=pdf_file)
        from_str = await fino.documents.send_fax(recipient=FAX, document=str(pdf_file))
        fetched = await fino.documents.get(from_path.id)
    assert from_path.id != from_str.id
    assert fetched.type is ShipmentType.LETTER
    first, second = (e.json() for e in sandbox.journal.for_route("POST /documentshipment"))
    assert base64.b64decode(first["document"]["content"]) == PDF
    assert base64.b64decode(second["document"]["content"]) == PDF
    assert first["recipient"] == {
        "name": "fino Testfirma GmbH",
        "street": "Königsplatz 1",
        "zip": "34117",
        "city": "Kassel",
        "country": "DE",
    }


async def test_shipment_is_sent_a_minute_later(
    make_client: ClientFactory, clock: FakeClock
) -> None:
    """Get Document Shipment shows queued, then sent once 60 s of sandbox clock have passed."""
    async with make_client() as fino:
        shipment = await fino.documents.send_fax(recipient=FAX, document=PDF)
        queued = await fino.documents.get(shipment.id)
        clock.advance(61)
        sent = await fino.documents.get(shipment.id)
    assert queued.id == shipment.id
    assert queued.type is ShipmentType.FAX
    assert queued.status is ShipmentStatus.QUEUED
    assert sent.status is ShipmentStatus.SENT
    assert queued.created_at is not None
    assert queued.created_at.utcoffset() == timedelta(0)
    assert sent.created_at == queued.created_at


async def test_unknown_shipment_is_not_found(make_client: ClientFactory) -> None:
    """A shipment id that was never issued raises NotFoundError."""
    async with make_client() as fino:
        with pytest.raises(NotFoundError):
            await fino.documents.get("0" * 24)


@pytest.mark.parametrize("sandbox_options", [{"scopes": ("banking",)}])
async def test_documents_without_the_scope_are_403(make_client: ClientFactory) -> None:
    """An account without the "documentshipment" scope gets PermissionDeniedError."""
    async with make_client() as fino:
        with pytest.raises(PermissionDeniedError):
            await fino.documents.send_fax(recipient=FAX, document=PDF)
        with pytest.raises(PermissionDeniedError):
            await fino.documents.get("0" * 24)


async def test_bad_documents_are_refused_before_sending(
    make_client: ClientFactory, sandbox: Sandbox, tmp_path: Path
) -> None:
    """Empty, non-PDF and missing documents, and blank recipients, are refused; nothing is sent."""
    empty_file = tmp_path / "empty.pdf"
    empty_file.write_bytes(b"")
    calls = [
        (FAX, b"", "empty"),
        (FAX, b"GIF89a", "not a PDF"),
        (FAX, tmp_path / "missing.pdf", "does not exist"),
        (FAX, empty_file, "empty"),
        (FAX, tmp_path, "cannot be read"),
        (FAX, 42, "PDF bytes or a path"),
        (FAX, PDF.decode(), "pass bytes"),
        (FaxRecipient(fax_number=" "), PDF, "fax_number"),
        (LETTER, PDF, "FaxRecipient"),
    ]
    async with make_client() as fino:
        for recipient, document, match in calls:
            with pytest.raises(InvalidInputError, match=match):
                await fino.documents.send_fax(recipient=recipient, document=document)  # type: ignore[arg-type]
        for field in ("name", "street", "zip", "city", "country"):
            blank = LetterRecipient(**{**_letter_fields(), field: ""})
            with pytest.raises(InvalidInputError, match=f"recipient.{field}"):
                await fino.documents.send_letter(recipient=blank, document=PDF)
        with pytest.raises(InvalidInputError, match="LetterRecipient"):
            await fino.documents.send_letter(recipient=FAX, document=PDF)  # type: ignore[arg-type]
        for bad_id in ("", "..", " "):
            with pytest.raises(InvalidInputError, match="shipment_id"):
                await fino.documents.get(bad_id)
    assert len(sandbox.journal) == 0


def _letter_fields() -> dict[str, str]:
    return {"name": "A", "street": "B 1", "zip": "12345", "city": "C", "country": "DE"}


async def test_send_is_never_retried(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """Send Document is not repeated on a 503: the first attempt may have sent it."""
    sandbox.faults.add(Fault(route="POST /documentshipment", kind="status", status=503))
    async with make_client(max_retries=3) as fino:
        with pytest.raises(InternalServerError) as caught:
            await fino.documents.send_fax(recipient=FAX, document=PDF)
    assert caught.value.attempts == 1
    assert sandbox.journal.count("POST /documentshipment") == 1


async def test_get_is_retried(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """Get Document Shipment only reads, so a 503 is retried."""
    sandbox.faults.add(
        Fault(route="GET /documentshipment/{shipmentID}", kind="status", status=503, times=2)
    )
    async with make_client(max_retries=3) as fino:
        shipment = await fino.documents.send_fax(recipient=FAX, document=PDF)
        raw = await fino.with_raw_response.documents.get(shipment.id)
    assert raw.attempts == 3
    assert raw.parse().id == shipment.id
    assert sandbox.journal.count("GET /documentshipment/{shipmentID}") == 3


async def test_unknown_status_and_fields_are_kept(make_client: ClientFactory) -> None:
    """A status the SDK does not know stays a str; fields it does not model land in extra."""

    async def newer_server(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        response = await call_next(request)
        if request.method != "GET" or not response.is_success:
            return response
        body = {**_json.loads(response.content), "status": "printing", "pages": 2}
        return httpx.Response(200, content=_json.dumps(body), headers=response.headers)

    async with make_client(middleware=[newer_server]) as fino:
        shipment = await fino.documents.send_letter(recipient=LETTER, document=PDF)
        fetched = await fino.documents.get(shipment.id)
    assert fetched.status == "printing"
    assert not isinstance(fetched.status, ShipmentStatus)
    assert fetched.extra == {"pages": 2}
