"""Send Document and Get Document Shipment: storage, status over time, and the 400s."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from finoos_async.sandbox import FakeClock, Fault, Sandbox

from .conftest import Api, Connect

pytestmark = pytest.mark.anyio

PDF = b"%PDF-1.4\n%%EOF\n"
CONTENT = base64.b64encode(PDF).decode()
FAX = {
    "type": "fax",
    "recipient": {"faxNumber": "+4956112345678"},
    "document": {"contentType": "application/pdf", "content": CONTENT},
}
LETTER = {
    "type": "letter",
    "recipient": {"name": "A", "street": "B 1", "zip": "12345", "city": "C", "country": "DE"},
    "document": {"contentType": "application/pdf", "content": CONTENT},
}


@pytest.mark.parametrize("body", [FAX, LETTER], ids=["fax", "letter"])
async def test_send_then_get(api: Api, clock: FakeClock, body: dict[str, Any]) -> None:
    """Send answers id and queued; Get shows type, status and createdAt, sent after 60 s."""
    sent = await api.post("/documentshipment", json=body)
    assert sent.status_code == 200
    shipment_id = sent.json()["id"]
    assert sent.json() == {"id": shipment_id, "status": "queued"}
    assert re.fullmatch(r"[0-9a-f]{24}", shipment_id)
    assert api.sandbox._state.shipments[shipment_id].content == PDF

    queued = (await api.get(f"/documentshipment/{shipment_id}")).json()
    assert queued["type"] == body["type"]
    assert queued["status"] == "queued"
    created_at = datetime.fromisoformat(queued["createdAt"].replace("Z", "+00:00"))
    assert created_at.utcoffset() == timedelta(0)

    clock.advance(59)
    assert (await api.get(f"/documentshipment/{shipment_id}")).json()["status"] == "queued"
    clock.advance(1)
    later = (await api.get(f"/documentshipment/{shipment_id}")).json()
    assert later == {**queued, "status": "sent"}


async def test_created_at_follows_the_sandbox_clock(api: Api, clock: FakeClock) -> None:
    """Two shipments four minutes of sandbox clock apart are created four minutes apart."""
    first = (await api.post("/documentshipment", json=FAX)).json()["id"]
    clock.advance(240)  # within the access token's lifetime
    second = (await api.post("/documentshipment", json=FAX)).json()["id"]
    stamps = [
        datetime.fromisoformat(
            (await api.get(f"/documentshipment/{i}")).json()["createdAt"].replace("Z", "+00:00")
        )
        for i in (first, second)
    ]
    assert stamps[1] - stamps[0] == timedelta(minutes=4)


async def test_unknown_shipment_is_404(api: Api) -> None:
    """A shipment id that was never issued is a 404."""
    response = await api.get("/documentshipment/5f22c402b6968c000128edb6")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def _document(**changes: Any) -> dict[str, Any]:
    return {"document": {"contentType": "application/pdf", "content": CONTENT, **changes}}


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        {},
        _with(FAX, type="email"),
        _with(FAX, type=None),
        _with(FAX, recipient=None),
        _with(FAX, recipient="+4956112345678"),
        _with(FAX, recipient={}),
        _with(FAX, recipient={"faxNumber": ""}),
        _with(FAX, recipient={"faxNumber": 4956112345678}),
        _with(LETTER, recipient={**LETTER["recipient"], "zip": None}),
        _with(LETTER, recipient={**LETTER["recipient"], "city": " "}),
        _with(LETTER, recipient=FAX["recipient"]),
        _with(FAX, document=None),
        _with(FAX, document=CONTENT),
        _with(FAX, **_document(contentType="image/png")),
        _with(FAX, **_document(contentType=None)),
        _with(FAX, **_document(content=None)),
        _with(FAX, **_document(content="not base64!")),
        _with(FAX, **_document(content=CONTENT[:-1])),
        _with(FAX, **_document(content="")),
        _with(FAX, **_document(content=base64.b64encode(b"GIF89a").decode())),
    ],
)
async def test_send_rejects_bad_bodies(api: Api, body: Any) -> None:
    """A wrong type, recipient or document (not base64, not a PDF) is a 400 and stores nothing."""
    if isinstance(body, bytes):
        response = await api.post("/documentshipment", content=body)
    else:
        response = await api.post("/documentshipment", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["type"] == "bad_request"
    assert api.sandbox._state.shipments == {}


async def test_shipment_routes_need_the_account_scope(connect: Connect) -> None:
    """Without "documentshipment" on the account, sending and reading are a 403."""
    async with connect(Sandbox(scopes=("banking", "companies"))) as api:
        await api.login()
        assert (await api.post("/documentshipment", json=FAX)).status_code == 403
        response = await api.get("/documentshipment/5f22c402b6968c000128edb6")
        assert response.status_code == 403
        assert response.json()["type"] == "forbidden"


async def test_faults_can_target_the_shipment_routes(api: Api) -> None:
    """A fault after the real handling stores the shipment, then answers 503."""
    api.sandbox.faults.add(
        Fault(route="POST /documentshipment", kind="status", status=503, after=True, times=1)
    )
    api.sandbox.faults.add(
        Fault(route="GET /documentshipment/{shipmentID}", kind="status", status=500, times=1)
    )
    assert (await api.post("/documentshipment", json=FAX)).status_code == 503
    [shipment_id] = api.sandbox._state.shipments
    assert (await api.get(f"/documentshipment/{shipment_id}")).status_code == 500
    assert (await api.get(f"/documentshipment/{shipment_id}")).status_code == 200
