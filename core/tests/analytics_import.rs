//! Importers (ACN-Data, ChargePoint/Palo Alto/Boulder, Dundee) and the EV-ChART exporter.
//! `§9.n` cites the regression cases of `docs/analytics-and-feedback.md` §9.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chargekit::analytics::export::{evchart_rows, to_evchart_csv, DurationFormat, ExportOptions};
use chargekit::analytics::import::{import_csv, CsvShape, ImportOptions};
use chargekit::analytics::*;
use chargekit::units::Energy;
use rust_decimal_macros::dec;

fn tz(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap()
}

const ACN: &str = "_id,clusterID,connectionTime,disconnectTime,doneChargingTime,kWhDelivered,sessionID,siteID,spaceID,stationID,timezone,userID,userInputs
5c36,0039,\"Wed, 02 Jan 2019 14:57:25 GMT\",\"Wed, 02 Jan 2019 22:03:12 GMT\",\"Wed, 02 Jan 2019 17:26:12 GMT\",11.927,2_39_78_360_2019-01-02 14:57:25.158310,0002,CA-496,2-39-78-360,America/Los_Angeles,,
5c37,0039,\"Wed, 02 Jan 2019 15:06:07 GMT\",\"Thu, 03 Jan 2019 00:24:51 GMT\",,18.54,2_39_79_378_2019-01-02 15:06:07,0002,CA-320,2-39-79-378,America/Los_Angeles,558,\"[{'WhPerMile': 400}]\"
5c38,0039,yesterday,\"Thu, 03 Jan 2019 00:24:51 GMT\",,1.5,bad_row,0002,CA-1,2-39-79-379,America/Los_Angeles,,
";

#[test]
fn acn_data_shape() {
    let r = import_csv(ACN, &ImportOptions::default()).unwrap();
    assert_eq!(r.shape, CsvShape::AcnData);
    assert_eq!((r.rows, r.records.len()), (3, 2));
    let a = &r.records[0];
    assert_eq!(a.station_id, "2-39-78-360");
    assert_eq!(a.site_id.as_deref(), Some("0002"));
    assert_eq!(a.plug_in.to_rfc3339(), "2019-01-02T14:57:25+00:00");
    assert_eq!(a.energy, Energy::from_kwh(dec!(11.927)));
    assert_eq!(a.user_id, None);
    // Idle = disconnectTime − doneChargingTime = 4 h 36 min 60 s.
    let m = a.metrics(
        SessionBoundary::PlugInPlugOut,
        IdleDefinition::DwellMinusCharging,
        SuccessEnergy::default(),
        0,
    );
    assert_eq!(m.idle_after_full_s, 4 * 3600 + 37 * 60);
    assert_eq!(r.records[1].user_id.as_deref(), Some("558"));
    assert_eq!(r.errors.len(), 1);
    assert_eq!(
        (r.errors[0].line, r.errors[0].column.as_deref()),
        (4, Some("connectionTime"))
    );
}

const PALO_ALTO: &str = "Station Name,MAC Address,Org Name,Start Date,Start Time Zone,End Date,End Time Zone,Transaction Date (Pacific Time),Total Duration (hh:mm:ss),Charging Time (hh:mm:ss),Energy (kWh),GHG Savings (kg),Gasoline Savings (gallons),Port Type,Port Number,Plug Type,EVSE ID,Fee,Ended By,Plug In Event Id,Driver Postal Code,User ID
PALO ALTO CA / HAMILTON #1,000D:6F00:015A:9D76,City of Palo Alto,7/29/2011 20:17,PDT,7/29/2011 23:20,PDT,7/29/2011 23:20,3:03:32,1:54:03,6.249457,2.625,0.784,Level 2,2,J1772,3,0,Plug Out at Vehicle,3,95124,3284
PALO ALTO CA / HAMILTON #1,000D:6F00:015A:9D76,City of Palo Alto,11/6/2011 1:30,PST,40853.0833333333,PST,11/6/2011 2:00,95:06:31, -   ,2.1,0.9,0.3,Level 2,1,J1772,4,1.50,Customer,4,94301,
PALO ALTO CA / HAMILTON #1,000D:6F00:015A:9D76,City of Palo Alto,11/6/2011 1:30,PDT,11/6/2011 1:50,PDT,11/6/2011 1:50,0:20:00,0:20:00,1.1,0.5,0.1,Level 2,2,J1772,5,0,Customer,5,94301,
PALO ALTO CA / HAMILTON #1,000D:6F00:015A:9D76,City of Palo Alto,7/29/2011 20:17,PDT,7/29/2011 23:20,PDT,7/29/2011 23:20,3:03:32,1:54:03,six,2.625,0.784,Level 2,2,J1772,6,0,Customer,6,95124,
PALO ALTO CA / HAMILTON #1,000D:6F00:015A:9D76,City of Palo Alto,7/29/2011 20:17,PDT,7/29/2011 23:20,PDT,7/29/2011 23:20,3:03:32,1:54:03,6.249457,2.625,0.784,Level 2,2,J1772,3,0,Plug Out at Vehicle,3,95124,3284
";

/// §9.2 Durations like "95:06:31" and Excel serial dates parse; `" -   "` becomes None.
#[test]
fn s9_2_palo_alto_durations_serial_dates_and_placeholders() {
    let r = import_csv(PALO_ALTO, &ImportOptions::for_tz(tz("America/Los_Angeles"))).unwrap();
    assert_eq!(r.shape, CsvShape::ChargePoint);
    assert_eq!(r.rows, 5);
    assert_eq!(r.records.len(), 3);
    assert_eq!(r.duplicates_removed, 1); // the last row repeats Plug In Event Id 3

    let a = &r.records[0];
    assert_eq!((a.session_id.as_str(), a.port_id.as_str()), ("3", "2"));
    assert_eq!(a.charging_s, Some(3600 + 54 * 60 + 3));
    assert_eq!(a.user_id.as_deref(), Some("3284"));
    assert_eq!(a.ended_by, Some(EndedBy::Driver));
    assert_eq!(a.plug_out.to_rfc3339(), "2011-07-30T06:20:00+00:00");

    // Fall-back night: 1:30 PST is the second 1:30 (09:30 UTC); the end is an Excel serial
    // date (40853.0833… = 2011-11-06 02:00 local); charging " -   " is None.
    let b = &r.records[1];
    assert_eq!(b.plug_in.to_rfc3339(), "2011-11-06T09:30:00+00:00");
    assert_eq!(b.plug_out.to_rfc3339(), "2011-11-06T10:00:00+00:00");
    assert_eq!(b.charging_s, None);
    assert_eq!(b.fees.as_ref().unwrap().total, Some(dec!(1.50)));
    // 95:06:31 disagrees with the end: imported with a warning naming the column.
    assert!(r
        .warnings
        .iter()
        .any(|w| w.line == 3 && w.column.as_deref() == Some("End Date")));
    // The same wall time marked PDT is the first 1:30 (08:30 UTC).
    assert_eq!(
        r.records[2].plug_in.to_rfc3339(),
        "2011-11-06T08:30:00+00:00"
    );

    assert_eq!(r.errors.len(), 1);
    let e = &r.errors[0];
    assert_eq!((e.line, e.column.as_deref()), (5, Some("Energy (kWh)")));
    assert!(e.message.contains("six"), "{}", e.message);
}

#[test]
fn long_durations_without_an_end() {
    let csv = "Station_Name,Start_Date___Time,Start_Time_Zone,End_Date___Time,End_Time_Zone,Total_Duration__hh_mm_ss_,Charging_Time__hh_mm_ss_,Energy__kWh_,Port_Type,ObjectID
BOULDER / JUNCTION ST1,1/1/2018 17:49,MST,,MST,95:06:31,3:06:31,20.5,Level 2,0
BOULDER / JUNCTION ST1,3/11/2018 2:30,MST,3/11/2018 4:00,MDT,0:30:00,0:30:00,2.5,Level 2,1
BOULDER / JUNCTION ST1,1/1/2018 17:49,MST,,MST,95:06:31,3:06:31,20.5,Level 2,0
";
    let r = import_csv(csv, &ImportOptions::for_tz(tz("America/Denver"))).unwrap();
    assert_eq!(r.shape, CsvShape::ChargePoint);
    // The concatenated redelivery (ObjectID restarting at 0) is de-duplicated by content.
    assert_eq!((r.records.len(), r.duplicates_removed), (2, 1));
    let a = &r.records[0];
    assert_eq!(a.dwell_s(), 95 * 3600 + 6 * 60 + 31);
    assert_eq!(a.charging_s, Some(3 * 3600 + 6 * 60 + 31));
    // 02:30 on 11 March 2018 does not exist in Denver: read as MST, with a warning.
    let b = &r.records[1];
    assert_eq!(b.plug_in.to_rfc3339(), "2018-03-11T09:30:00+00:00");
    assert!(r
        .warnings
        .iter()
        .any(|w| w.line == 3 && w.message.contains("DST gap")));
}

const DUNDEE: &str = "SDR ID,CP ID,Site,Connector Type,Start,End,Duration,Consum(kWh)
101,50911,Broughty Ferry Library,AC Type 2,01/09/2021 08:15,01/09/2021 10:20,02:05:00,12.4
102,50911,Broughty Ferry Library,AC Type 2,02/09/2021 09:00,01/01/1970 00:00,00:00:00,3.1
101,50911,Broughty Ferry Library,AC Type 2,01/09/2021 08:15,01/09/2021 10:20,02:05:00,12.4
103,50912,Broughty Ferry Library,DC CCS,03/09/2021 12:00,03/09/2021 12:40,00:40:00,21.0
";

/// §9.4 Duplicate uploads (same SDR ID) are de-duplicated; §9.3 through an import: the
/// 1970 sentinel end date is flagged, not counted.
#[test]
fn s9_4_dundee_duplicates_and_1970_sentinels() {
    let r = import_csv(DUNDEE, &ImportOptions::for_tz(tz("Europe/London"))).unwrap();
    assert_eq!(r.shape, CsvShape::Dundee);
    assert_eq!((r.rows, r.records.len(), r.duplicates_removed), (4, 3, 1));
    assert!(r.warnings.is_empty());
    let a = &r.records[0];
    // 08:15 BST = 07:15 UTC.
    assert_eq!(a.plug_in.to_rfc3339(), "2021-09-01T07:15:00+00:00");
    assert_eq!(a.site_id.as_deref(), Some("Broughty Ferry Library"));

    let sum = summarize(&r.records, &SummaryOptions::for_tz(tz("Europe/London"))).unwrap();
    assert_eq!(
        (sum.counts.sessions_used, sum.counts.sessions_excluded),
        (2, 1)
    );
    assert!(sum.flags.iter().any(|f| f.flag == Flag::OutsidePeriod));
    assert_eq!(sum.time.occupied_s, 125 * 60 + 40 * 60);
}

#[test]
fn unknown_headers_are_an_error_naming_the_columns() {
    let e = import_csv("a,b\n1,2\n", &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("a, b"), "{e}");
    // A forced shape with a missing column: every row names what is missing.
    let o = ImportOptions {
        shape: Some(CsvShape::Dundee),
        ..ImportOptions::default()
    };
    let r = import_csv("a,b\n1,2\n", &o).unwrap();
    assert_eq!(r.errors[0].message, "no CP ID column");
}

#[test]
fn evchart_export_round_trip_fields() {
    let r = import_csv(PALO_ALTO, &ImportOptions::for_tz(tz("America/Los_Angeles"))).unwrap();
    let rows = evchart_rows(&r.records, &ExportOptions::default());
    assert_eq!(rows[0].session_duration, "3:03:00");
    assert_eq!(rows[0].charging_duration, "1:54:03");
    assert_eq!(rows[0].ended_by, "Plug Out at Vehicle");
    assert!(rows[0].successful_completion);
    assert_eq!(rows[1].total_fee_charged, "1.5");
    let o = ExportOptions {
        durations: DurationFormat::Minutes,
        tz: Some(tz("America/Los_Angeles")),
        ..ExportOptions::default()
    };
    let csv = to_evchart_csv(&r.records, &o);
    let first = csv.lines().nth(1).unwrap();
    assert!(first.contains("2011-07-29T20:17:00-07:00"), "{first}");
    assert!(first.contains(",183,114.05,"), "{first}");
    assert_eq!(csv.lines().count(), 4);
    assert_eq!(csv.lines().next().unwrap().split(',').count(), 21);
}
