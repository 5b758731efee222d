"""The DICOM receiver: a Storage SCP (C-STORE, PS3.4 Annex B) with pynetdicom, so that a
modality or a PACS can send studies to Spinewise (``spinewise imaging scp``).

Each received object is filed in its own transaction (``unit_of_work``) by
:func:`spinewise.imaging.service.import_received`: de-identified, stored under ``data_dir``
and indexed for the patient whose hospital Patient ID was linked on the imaging page. The
answer to the sender follows the commit, so an acknowledged object is never lost. Status codes
(PS3.4 §B.2.3, PS3.7 Annex C):

- ``0x0000`` success (a resend of an object already held is also a success);
- ``0x0124`` refused, not authorised: no patient is linked to the object's Patient ID, so the
  object is not kept (Spinewise does not hold images it cannot attribute);
- ``0xC000`` cannot understand: an object flagged with burned-in annotation (which needs a
  clinician's confirmation, given on upload only), or one without UIDs.

Verification (C-ECHO) is answered too. The receiver accepts every storage SOP class in every
transfer syntax pydicom knows; the viewer decodes compressed ones with its WebAssembly codecs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, AllStoragePresentationContexts, evt
from pynetdicom.sop_class import Verification  # type: ignore[attr-defined]
from pynetdicom.transport import ThreadedAssociationServer

from spinewise.core.errors import InvalidInput
from spinewise.db import unit_of_work
from spinewise.imaging import service

SUCCESS = 0x0000
NOT_AUTHORISED = 0x0124
CANNOT_UNDERSTAND = 0xC000
DEFAULT_AE_TITLE = "SPINEWISE"

log = structlog.get_logger("spinewise.imaging.receiver")


@dataclass
class ReceiverStats:
    stored: int = 0
    duplicates: int = 0
    refused: int = 0


class DicomReceiver:
    """A C-STORE SCP that files what it receives through the imaging service."""

    def __init__(
        self,
        session_factory: Callable[[], Any],
        *,
        data_dir: Path,
        secret_key: str,
        ae_title: str = DEFAULT_AE_TITLE,
    ) -> None:
        self.session_factory = session_factory
        self.data_dir = Path(data_dir)
        self.secret_key = secret_key
        self.ae_title = ae_title
        self.stats = ReceiverStats()
        self.ae = AE(ae_title=ae_title)
        for context in AllStoragePresentationContexts:
            if context.abstract_syntax is not None:
                self.ae.add_supported_context(context.abstract_syntax, ALL_TRANSFER_SYNTAXES)
        self.ae.add_supported_context(Verification)

    def handle_store(self, event: Any) -> int:
        """pynetdicom's ``EVT_C_STORE`` handler: file the object, answer a status."""
        dataset = event.dataset
        dataset.file_meta = event.file_meta
        calling = str(event.assoc.requestor.ae_title).strip()
        try:
            with unit_of_work(self.session_factory) as session:  # type: ignore[arg-type]
                result = service.import_received(
                    session,
                    original=dataset,
                    data_dir=self.data_dir,
                    secret_key=self.secret_key,
                    calling_ae=calling,
                )
        except InvalidInput as exc:
            self.stats.refused += 1
            log.warning("imaging.receive_refused", calling_ae=calling, reason=exc.message)
            return CANNOT_UNDERSTAND
        if result is None:
            self.stats.refused += 1
            log.warning("imaging.receive_unlinked", calling_ae=calling)
            return NOT_AUTHORISED
        self.stats.stored += result.instances_added
        self.stats.duplicates += result.duplicates
        log.info(
            "imaging.received",
            calling_ae=calling,
            added=result.instances_added,
            duplicates=result.duplicates,
        )
        return SUCCESS

    def start(self, host: str, port: int) -> ThreadedAssociationServer:
        """Listen in background threads; ``.shutdown()`` the returned server to stop."""
        server = self.ae.start_server(
            (host, port), block=False, evt_handlers=[(evt.EVT_C_STORE, self.handle_store)]
        )
        assert server is not None
        return server

    def serve_forever(self, host: str, port: int) -> None:
        """Listen until interrupted (the ``spinewise imaging scp`` command)."""
        self.ae.start_server(
            (host, port), block=True, evt_handlers=[(evt.EVT_C_STORE, self.handle_store)]
        )
