"""Small OCPP-J frame builders for inline test logs (not part of the package)."""

import json
from typing import Any, Dict, List, Optional

DAY = "2026-03-10"


def ts(hms: str) -> str:
    """A station timestamp on the test day, e.g. ``ts("08:15:00")``."""
    return f"{DAY}T{hms}Z"


def call(uid: str, action: str, payload: Dict[str, Any]) -> List[Any]:
    return [2, uid, action, payload]


def result(uid: str, payload: Dict[str, Any]) -> List[Any]:
    return [3, uid, payload]


def lines(frames: List[Any]) -> str:
    """One frame per line, as a CSMS log stores them."""
    return "\n".join(json.dumps(f) for f in frames)


# --- OCPP 1.6 -------------------------------------------------------------------------


def start16(uid: str, tx: int, meter_start: int, at: str, connector: int = 1) -> List[List[Any]]:
    """StartTransaction and the CSMS's CALLRESULT assigning ``tx``."""
    return [
        call(
            uid,
            "StartTransaction",
            {"connectorId": connector, "idTag": "TAG-1", "meterStart": meter_start, "timestamp": ts(at)},
        ),
        result(uid, {"transactionId": tx, "idTagInfo": {"status": "Accepted"}}),
    ]


def meter16(uid: str, tx: int, at: str, value: str, unit: str = "Wh", connector: int = 1) -> List[Any]:
    """MeterValues with one Energy.Active.Import.Register sample."""
    return call(
        uid,
        "MeterValues",
        {
            "connectorId": connector,
            "transactionId": tx,
            "meterValue": [
                {
                    "timestamp": ts(at),
                    "sampledValue": [
                        {"value": value, "measurand": "Energy.Active.Import.Register", "unit": unit}
                    ],
                }
            ],
        },
    )


def stop16(uid: str, tx: int, meter_stop: int, at: str) -> List[Any]:
    return call(
        uid,
        "StopTransaction",
        {"transactionId": tx, "meterStop": meter_stop, "timestamp": ts(at), "reason": "Local"},
    )


# --- OCPP 2.0.1 -----------------------------------------------------------------------


def event201(
    uid: str,
    event_type: str,
    seq_no: int,
    at: str,
    register_wh: Any,
    *,
    tx: str = "TX-201",
    context: str = "Sample.Periodic",
    charging_state: str = "Charging",
    trigger: str = "MeterValuePeriodic",
    offline: bool = False,
    unit: Optional[Dict[str, Any]] = None,
) -> List[Any]:
    """A TransactionEvent carrying one register value (a JSON number, as 2.0.1 sends it)."""
    sample: Dict[str, Any] = {
        "value": register_wh,
        "context": context,
        "measurand": "Energy.Active.Import.Register",
    }
    if unit is not None:
        sample["unitOfMeasure"] = unit
    payload: Dict[str, Any] = {
        "eventType": event_type,
        "timestamp": ts(at),
        "triggerReason": trigger,
        "seqNo": seq_no,
        "transactionInfo": {"transactionId": tx, "chargingState": charging_state},
        "meterValue": [{"timestamp": ts(at), "sampledValue": [sample]}],
    }
    if event_type == "Started":
        payload["evse"] = {"id": 2, "connectorId": 1}
        payload["idToken"] = {"idToken": "TOKEN-201", "type": "ISO14443"}
    if offline:
        payload["offline"] = True
    return call(uid, "TransactionEvent", payload)
