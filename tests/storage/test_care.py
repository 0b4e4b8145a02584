"""Care data at rest: /delete withdraws and anonymises; key rotation re-seals everything."""

from sqlalchemy import Engine, select

from storage import care
from storage.citizens import erase_citizen
from storage.models import CareApplication, ConversationState
from storage.rotation import reseal_everything
from storage.sealing import Sealer
from tests.auxil.factories import make_case
from tests.auxil.service import TEST_DATA_KEY, sealer_for_tests


def test_a_citizen_who_deletes_their_data_leaves_only_an_anonymous_withdrawn_case(
    db: Engine,
) -> None:
    case_id = make_case(db)
    with db.begin() as connection:
        citizen_id = care.get(connection, case_id).citizen_id  # type: ignore[union-attr]
        erase_citizen(connection, citizen_id=citizen_id)
        row = care.get(connection, case_id)
        statuses = [c.status for c in care.history(connection, case_id)]
    assert row is not None and row.citizen_id is None and row.anonymised_at is not None
    assert row.sealed_phone is None and row.sealed_applicant_name is None
    assert (row.status, row.services, row.dong) == (
        "withdrawn",
        ["meals", "housekeeping"],
        "매탄3동",
    )
    assert statuses == ["received", "withdrawn"]


def test_rotation_seals_cases_and_states_with_the_new_key(db: Engine) -> None:
    case_id = make_case(db)
    old = sealer_for_tests()
    with db.begin() as connection:
        citizen_id = care.get(connection, case_id).citizen_id  # type: ignore[union-attr]
        connection.execute(
            ConversationState.__table__.insert().values(  # type: ignore[attr-defined]
                citizen_id=citizen_id, data=old.seal_json({"flow": "care"}), version=1
            )
        )
    new_key = Sealer.new_key()
    with db.begin() as connection:
        counts = reseal_everything(connection, Sealer([new_key, TEST_DATA_KEY]))
    assert counts == {
        "states": 1,
        "survey texts": 0,
        "replies": 0,
        "care": 1,
        "proposal notes": 0,
        "counter slips": 0,
    }
    only_new = Sealer([new_key])
    with db.connect() as connection:
        row = connection.execute(select(CareApplication)).one()
        state = connection.execute(select(ConversationState.data)).scalar()  # type: ignore[call-overload]
    assert care.personal_data(only_new, row)["phone"] == "010-1111-2222"
    assert only_new.open_json(state) == {"flow": "care"}
