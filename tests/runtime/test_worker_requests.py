"""The turn worker reads the service's requests as they come, and can tell, without waiting,
which have already arrived: those are taken together in one transaction."""

import pickle
import socket
from collections.abc import Iterator

import pytest

from runtime.workers import _FRAME, Requests


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    service, worker = socket.socketpair()
    with service, worker:
        yield service, worker


def framed(value: object) -> bytes:
    data = pickle.dumps(value)
    return _FRAME.pack(len(data)) + data


def test_requests_already_sent_are_there_and_nothing_more_is_waited_for(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    service, worker = pair
    service.sendall(framed({"n": 1}) + framed({"n": 2}))
    requests = Requests(worker)
    assert requests.next() == {"n": 1}
    assert requests.arrived() == {"n": 2}
    assert requests.arrived() is None  # returns at once: nothing else was sent
    service.sendall(framed({"n": 3}))
    assert requests.next() == {"n": 3}


def test_a_request_half_arrived_waits_for_its_other_half(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    service, worker = pair
    whole = framed({"text": "우리 동네 가로등이 고장났어요"})
    service.sendall(whole[:7])
    requests = Requests(worker)
    assert requests.arrived() is None
    service.sendall(whole[7:])
    assert requests.arrived() == {"text": "우리 동네 가로등이 고장났어요"}


def test_the_service_closing_the_socket_ends_the_requests_after_the_last_one(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    service, worker = pair
    service.sendall(framed("last"))
    service.shutdown(socket.SHUT_WR)
    requests = Requests(worker)
    assert requests.next() == "last"
    assert requests.arrived() is None
    assert requests.next() is None
