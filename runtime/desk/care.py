"""The desk's care applications: terms, one's own cases, applying, withdrawing."""

from conversations.care import track
from conversations.desk import (
    CareCard,
    CareRequest,
    CareTerms,
    CareView,
)
from runtime.desk.bound import BoundDesk
from storage import care
from storage.counter import CARE_CONSENTS, PRIVACY, Filed


class CareAtDesk(BoundDesk):
    """Care applications, in the turn's transaction."""

    def care_terms(self) -> CareTerms:
        return self.terms

    def my_care_applications(self) -> list[CareCard]:
        rows = care.of_citizen(self.connection, self.citizen_id)
        return [CareCard(row.id, row.status, self.day(row.created_at)) for row in rows]

    def care_application(self, application_id: int) -> CareView | None:
        row = care.get(self.connection, application_id)
        if row is None or row.citizen_id != self.citizen_id:
            return None
        changes = care.history(self.connection, application_id)
        return CareView(
            row.id,
            row.status,
            tuple(row.services),
            tuple((c.status, self.day(c.at), c.reason) for c in changes),
        )

    def apply_for_care(self, request: CareRequest) -> int:
        route, priority = track(list(request.screening))
        made = care.apply(
            self.connection,
            sealer=self.sealer,
            citizen_id=self.citizen_id,
            personal={
                "applicant_name": request.applicant_name,
                "cared_name": request.cared_name,
                "phone": request.phone,
                "address": request.address,
                "situation": request.situation,
                "screening": list(request.screening),
            },
            for_whom=request.for_whom,
            relation=request.relation,
            services=list(request.services),
            track=route,
            priority=priority,
            dong=request.dong,
            contact_time=request.contact_time,
        )
        relative = ("relative",) if request.for_whom != "me" else ()
        self.filed.append(Filed("care", made, (*PRIVACY, *CARE_CONSENTS, *relative)))
        return made

    def withdraw_care(self, application_id: int) -> bool:
        row = care.get(self.connection, application_id)
        if row is None or row.citizen_id != self.citizen_id:
            return False
        return care.move(
            self.connection,
            application_id=application_id,
            before=care.OPEN,
            after="withdrawn",
            staff_id=None,
        )
