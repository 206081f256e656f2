"""The installed package: where it comes from, its public names and exception classes."""

import pickle
from pathlib import Path

import chargekit
import chargekit.dask
import chargekit.ocpp
import chargekit.spark
from chargekit import _chargekit

SOURCE_PACKAGE = Path(__file__).resolve().parents[1] / "python" / "chargekit"


def test_tests_run_against_the_installed_wheel_not_the_source_tree():
    installed = Path(chargekit.__file__).resolve().parent
    assert installed != SOURCE_PACKAGE
    assert "site-packages" in installed.parts
    native = Path(_chargekit.__file__).resolve()
    assert native.parent == installed
    assert native.name.startswith("_chargekit") and native.suffix in (".so", ".pyd")
    # the wheel ships the typing information
    assert (installed / "py.typed").is_file()
    assert {p.name for p in installed.glob("*.pyi")} == {"__init__.pyi", "_chargekit.pyi", "_errors.pyi"}


def test_version_matches_the_crate():
    assert chargekit.__version__ == "0.1.0"


def test_anomaly_kinds_are_the_15_core_names_in_core_order():
    assert chargekit.ANOMALY_KINDS == tuple(
        "duplicate out_of_order missing_seq_no dip meter_reset rollover implausible_power "
        "begin_zero_placeholder start_stop_mismatch unit_suspect unknown_unit unparseable "
        "clock_suspect after_end unmatched_start".split()
    )


def test_public_api_names():
    for name in (
        "MeterPolicy",
        "Session",
        "StateChange",
        "Anomaly",
        "Reading",
        "ChargingPeriod",
        "ANOMALY_KINDS",
        "LIMITS",
    ):
        assert name in chargekit.__all__ and hasattr(chargekit, name)
    assert chargekit.ocpp.__all__ == [
        "SessionAssembler",
        "SessionEvent",
        "Fleet",
        "session_from_messages",
        "sessions_from_messages",
        "SmartChargingStation",
        "CompositeSchedule",
        "CompositePeriod",
        "ChargingProfileRef",
        "InstalledProfile",
        "PreferencePlan",
        "UnmetWish",
        "StationTariff",
        "check_cost_details",
        "CostCheck",
        "CostCheckLine",
        "TariffValidation",
        "ValidationReason",
        "StationLintFinding",
        "ConversionLoss",
    ]
    for name in chargekit.ocpp.__all__:
        assert hasattr(chargekit.ocpp, name)
    assert chargekit.ocpp.SessionAssembler.__module__ == "chargekit.ocpp"
    assert chargekit.ocpp.SmartChargingStation.__module__ == "chargekit.ocpp"
    assert chargekit.ocmf.__all__ == [
        "parse",
        "verify",
        "verify_many",
        "check_transaction",
        "check_records",
        "proven_energy",
        "OcmfRecord",
        "OcmfReading",
        "Verification",
        "TransactionReport",
        "FailedCheck",
        "BillableEnergy",
        "ProvenEnergy",
    ]
    for name in chargekit.ocmf.__all__:
        assert hasattr(chargekit.ocmf, name)
    assert chargekit.ocmf.Verification.__module__ == "chargekit.ocmf"
    assert chargekit.ocpi.__all__ == [
        "price_cdr",
        "Tariff",
        "PriceResult",
        "Price",
        "Breakdown",
        "PriceLine",
        "Invoice",
        "InvoiceLine",
        "LintFinding",
        "Explanation",
        "LivePrice",
    ]
    for name in chargekit.ocpi.__all__:
        assert hasattr(chargekit.ocpi, name)
    assert chargekit.ocpi.Tariff.__module__ == "chargekit.ocpi"
    assert chargekit.analytics.__all__ == [
        "summarize",
        "analyse_sessions",
        "generate_sessions",
        "behaviour_patterns",
        "DepartureForecaster",
        "SessionBatch",
        "SummaryPartial",
        "SiteSummary",
        "summarize_fleet",
        "FleetPartial",
        "FleetSummary",
        "FleetReport",
        "Record",
        "WEEKDAYS",
    ]
    assert chargekit.arrow.__all__ == ["sessions_from_frames", "price_sessions", "session_records", "summarize"]
    assert chargekit.spark.__all__ == chargekit.dask.__all__ == ["sessions", "cdrs", "site_summaries", "fleet_summary"]
    assert chargekit.feedback.__all__ == ["score", "score_one", "screen", "ScoreReport", "Screening", "Record"]
    assert chargekit.planning.__all__ == [
        "plan",
        "allocate",
        "limits_from_composite",
        "Plan",
        "SiteAllocation",
        "ProfileToSend",
        "Record",
    ]
    for module in (chargekit.analytics, chargekit.arrow, chargekit.feedback, chargekit.planning):
        for name in module.__all__:
            assert hasattr(module, name)
    assert chargekit.Session.__module__ == "chargekit"


def test_exception_hierarchy():
    ck = chargekit
    assert issubclass(ck.ChargekitError, ValueError)
    tree = {
        ck.OcppError: [
            ck.InvalidJsonError,
            ck.InvalidFrameError,
            ck.InvalidPayloadError,
            ck.UnsupportedVersionError,
            ck.InputTooLargeError,
        ],
        ck.MeterError: [ck.NegativeStepError, ck.UnknownUnitError, ck.InvalidPolicyError],
        ck.SessionError: [ck.NotExactlyOneSessionError],
        ck.ProfileError: [
            ck.InvalidProfileError,
            ck.ProfileRejectedError,
            ck.UnknownEvseError,
            ck.InvalidStationConfigError,
            ck.NotRepresentableError,
            ck.InvalidPreferencesError,
        ],
        ck.TariffError: [
            ck.TariffJsonError,
            ck.MissingTariffFieldError,
            ck.InvalidTariffFieldError,
            ck.NoTariffElementsError,
            ck.InvalidCurrencyError,
            ck.InvalidTimeOfDayError,
        ],
        ck.BillingError: [
            ck.InvalidCdrError,
            ck.NoValidTariffError,
            ck.CurrencyMismatchError,
            ck.UnknownTimezoneError,
            ck.NoPeriodsError,
            ck.InvalidPricingPolicyError,
        ],
        ck.AnalyticsError: [
            ck.EmptyPeriodError,
            ck.PeriodTooLongError,
            ck.DateOutOfRangeError,
            ck.InvalidAnalyticsOptionsError,
            ck.MissingPeriodError,
            ck.NoSessionsError,
            ck.IncompatibleAccumulatorsError,
            ck.ShardFailedError,
            ck.CsvHeaderError,
        ],
        ck.PlanningError: [
            ck.InvalidPlanningFieldError,
            ck.InvalidPlanningJsonError,
            ck.MissingPriceError,
        ],
        ck.FeedbackError: [
            ck.InvalidStarsError,
            ck.InvalidFeedbackError,
            ck.MissingReliabilityPeriodError,
        ],
        ck.OcmfError: [
            ck.EmptySignedDataError,
            ck.SignedDataTooLargeError,
            ck.MissingSeparatorError,
            ck.BadHeaderError,
            ck.PayloadJsonError,
            ck.SignatureJsonError,
            ck.OcmfFieldError,
            ck.NoSignatureError,
            ck.SignatureEncodingError,
            ck.SignatureFormatError,
            ck.PublicKeyError,
            ck.UnsupportedSignedFormatError,
            ck.SignedDataContainerError,
        ],
    }
    for parent, children in tree.items():
        assert parent.__bases__ == (ck.ChargekitError,)
        for child in children:
            assert child.__bases__ == (parent,)
    # the OCMF kinds are the core's stable names, one class each
    kinds = [c.kind for c in tree[ck.OcmfError]]
    assert len(set(kinds)) == 13 and all(kinds)


def test_exceptions_keep_their_attributes_through_pickle():
    err = chargekit.InvalidPayloadError(
        "MeterValues: field `connectorId`: bad", action="MeterValues", field="connectorId", reason="bad"
    )
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is chargekit.InvalidPayloadError
    assert str(back) == "MeterValues: field `connectorId`: bad"
    assert (back.action, back.field, back.reason) == ("MeterValues", "connectorId", "bad")
    err = chargekit.ProfileRejectedError("rejected", rule_id="K01.FR.06", rule_name="DuplicateValidity", reason="x")
    back = pickle.loads(pickle.dumps(err))
    assert (type(back), back.rule_id, back.rule_name) == (chargekit.ProfileRejectedError, "K01.FR.06", "DuplicateValidity")


def test_every_public_error_is_exported():
    from chargekit import _errors

    assert set(_errors.__all__) <= set(chargekit.__all__)
    for name in _errors.__all__:
        assert getattr(chargekit, name) is getattr(_errors, name)
