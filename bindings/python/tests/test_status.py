"""``Status`` mirrors kc_status of include/kubeclient/types.h, and ``errors.from_record`` is the one
way a kc_error record (or a pointer to one, NULL included) becomes an exception."""
from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pytest

import kubeclient
from kubeclient import _native, errors
from kubeclient._status import Status

TYPES_H = Path(__file__).resolve().parents[3] / "include" / "kubeclient" / "types.h"


def header_statuses() -> dict[str, int]:
    text = TYPES_H.read_text()
    body = re.search(r"typedef enum kc_status \{(.*?)\} kc_status;", text, re.S)
    assert body is not None, "kc_status not found in types.h"
    members = re.findall(r"\bKC_(?:ERR_)?([A-Z_]+)\s*=\s*(\d+)", body.group(1))
    return {name: int(value) for name, value in members}


def test_status_matches_the_header() -> None:
    header = header_statuses()
    assert len(header) == 18  # positive control: the parse found the whole enum
    assert {member.name: member.value for member in Status} == header


def test_status_is_reexported_by_native_and_every_failure_has_an_exception() -> None:
    assert _native.Status is Status
    assert set(errors.STATUS_TO_EXCEPTION) == set(Status) - {Status.OK}
    assert errors.STATUS_TO_EXCEPTION[Status.NOT_FOUND] is kubeclient.NotFound


def test_exceptions_keep_a_plain_int_status() -> None:
    error = kubeclient.Closed("closed", status=Status.CLOSED)
    assert type(error.status) is int and error.status == 16 == Status.CLOSED
    assert "status=16" in repr(error)


def test_from_record_reads_a_record_a_pointer_and_null() -> None:
    record = _native.kc_error(Status.NOT_FOUND, 404, b"NotFound", b"pods \"x\" not found",
                              b'{"kind":"Status","details":{"causes":[{"field":"f"}]}}')
    by_value = errors.from_record(record)
    by_pointer = errors.from_record(ctypes.pointer(record))
    for error in (by_value, by_pointer):
        assert isinstance(error, kubeclient.NotFound)
        assert (error.status, error.http_code, error.reason) == (1, 404, "NotFound")
        assert error.causes == [{"field": "f"}]
    overridden = errors.from_record(record, Status.GONE)
    assert isinstance(overridden, kubeclient.Gone)
    null = errors.from_record(ctypes.POINTER(_native.kc_error)(), Status.TRANSPORT)
    assert isinstance(null, kubeclient.TransportError) and null.http_code == 0


@pytest.mark.parametrize("status", list(Status)[1:])
def test_last_error_maps_each_status(status: Status) -> None:
    # kc_error_last() after a success is a record with KC_OK; the status given wins.
    from kubeclient._call import last_error
    assert type(last_error(status)) is errors.STATUS_TO_EXCEPTION[status]
