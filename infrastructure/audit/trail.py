"""The chain as the application's audit use cases see it (``application.access.audit.Chain``)."""

from typing import Any

from application.access.audit import Verification
from application.ports import FileStore
from infrastructure.audit import export
from infrastructure.audit.chain import AuditChain
from infrastructure.audit.watch import ChainWatch
from infrastructure.personal.keys import PersonalKeys


class AuditTrail:
    def __init__(
        self,
        chain: AuditChain,
        watch: ChainWatch,
        files: FileStore | None = None,
        personal: PersonalKeys | None = None,
    ) -> None:
        self.chain = chain
        self.watch = watch
        self.files = files
        self.personal = personal

    def head(self) -> dict[str, Any]:
        self.chain.catch_up()
        return self.chain.head()

    def state(self) -> dict[str, Any]:
        return self.watch.state().shown()

    def verify(self, up_to: int | None = None) -> Verification:
        return self.watch.verify(up_to)

    def bundle(self, with_files: bool = False) -> bytes:
        erased = set() if self.personal is None else self.personal.erased()
        return export.zipped(self.chain, self.files if with_files else None, erased)
