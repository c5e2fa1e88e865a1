//! Expectations recorded from Helm v4.3.1 (Go's time package through Sprig).

use chartroom_funcs::dates;
use chartroom_funcs::gotime::{self, GoTime, TimeObject};
use chartroom_funcs::rng;
use chartroom_template::Value;

fn t() -> GoTime {
    gotime::parse(
        "2006-01-02T15:04:05Z07:00",
        "2024-03-05T07:08:09.123456789+02:00",
    )
    .unwrap()
}

#[test]
fn parse_and_print_like_go() {
    assert_eq!(t().go_string(), "2024-03-05 07:08:09.123456789 +0200 +0200");
    let tv = TimeObject::value(t());
    assert_eq!(
        dates::date_in_zone(
            "Mon Jan _2 15:04:05 MST 2006 PM pm .000 ,999 Z07:00 -0700 002 __2 January Monday 06 3 03 4 5",
            &tv,
            "Local"
        ),
        "Tue Mar  5 05:08:09 UTC 2024 AM am .123 ,123 Z +0000 065  65 March Tuesday 24 5 05 8 9"
    );
    assert_eq!(
        dates::date_in_zone("2006-01-02 15:04 MST", &tv, "UTC"),
        "2024-03-05 05:08 UTC"
    );
    assert_eq!(
        dates::date_in_zone("2006-01-02 15:04 MST", &tv, "Bogus/Zone"),
        "2024-03-05 05:08 UTC"
    );
    assert_eq!(
        dates::date_in_zone("2006-01-02", &Value::Int(86400), "Local"),
        "1970-01-02"
    );
    assert_eq!(
        dates::date_in_zone("2006", &Value::Int64(0), "Local"),
        "1970"
    );
    assert_eq!(t().secs, 1709615289);
    assert_eq!(
        t().add(5_400_000_000_000).go_string(),
        "2024-03-05 08:38:09.123456789 +0200 +0200"
    );
    assert_eq!(GoTime::zero().go_string(), "0001-01-01 00:00:00 +0000 UTC");
    assert_eq!(
        gotime::parse("Jan 2 2006 3:04PM", "Feb 29 2024 11:59AM")
            .unwrap()
            .go_string(),
        "2024-02-29 11:59:00 +0000 UTC"
    );
    assert_eq!(
        gotime::format(&t(), "2006-01-02T15:04:05.999999999Z07:00"),
        "2024-03-05T07:08:09.123456789+02:00"
    );
}

#[test]
fn parse_errors_like_go() {
    assert_eq!(
        gotime::parse("2006-01-02", "2024-1-5").unwrap_err(),
        "parsing time \"2024-1-5\" as \"2006-01-02\": cannot parse \"1-5\" as \"01\""
    );
    assert_eq!(
        gotime::parse("2006-01-02", "2024-01-05x").unwrap_err(),
        "parsing time \"2024-01-05x\": extra text: \"x\""
    );
    assert_eq!(
        gotime::parse("2006-01-02", "2024-13-05").unwrap_err(),
        "parsing time \"2024-13-05\": month out of range"
    );
    assert!(gotime::parse("2006-01-02", "2024-02-30").is_err());
    assert!(gotime::parse("2006-01-02", "bad").is_err());
}

#[test]
fn durations_like_go() {
    assert_eq!(
        gotime::parse_duration("1d").unwrap_err(),
        "time: unknown unit \"d\" in duration \"1d\""
    );
    assert_eq!(
        gotime::parse_duration("1").unwrap_err(),
        "time: missing unit in duration \"1\""
    );
    assert_eq!(
        gotime::parse_duration("").unwrap_err(),
        "time: invalid duration \"\""
    );
    assert_eq!(gotime::parse_duration("1h30m"), Ok(5_400_000_000_000));
    assert_eq!(gotime::parse_duration("1.5s"), Ok(1_500_000_000));
    assert_eq!(gotime::parse_duration("-3s"), Ok(-3_000_000_000));
    assert_eq!(gotime::duration_string(5_400_000_000_000), "1h30m0s");
    assert_eq!(gotime::duration_string(90_000_000_000), "1m30s");
    assert_eq!(gotime::duration_string(2_500_000_000), "2.5s");
    assert_eq!(gotime::duration_string(1_500_000), "1.5ms");
    assert_eq!(gotime::duration_string(1_000), "1µs");
    assert_eq!(gotime::duration_string(0), "0s");
    // Sprig's duration: only int64 and decimal strings count.
    assert_eq!(dates::duration(&Value::Int(90)), "0s");
    assert_eq!(dates::duration(&Value::str("3600")), "1h0m0s");
    assert_eq!(dates::duration(&Value::Float(1.5)), "0s");
    assert_eq!(dates::duration(&Value::str("x")), "0s");
    assert_eq!(dates::duration(&Value::Nil), "0s");
    assert_eq!(dates::duration(&Value::Int64(90)), "1m30s");
    assert_eq!(dates::duration_round(&Value::str("2h10m")), "2h");
    assert_eq!(dates::duration_round(&Value::Int(3600)), "0s");
    assert_eq!(dates::duration_round(&Value::str("400h")), "16d");
    assert_eq!(dates::duration_round(&Value::str("10000h")), "1y");
    assert_eq!(dates::duration_round(&Value::str("-3s")), "3s");
    assert_eq!(dates::duration_round(&Value::str("1.5s")), "1s");
}

#[test]
fn helm_duration_helpers() {
    let d = |v: Value| dates::as_helm_duration(&v);
    assert_eq!(d(Value::str("1h30m")), Ok(5_400_000_000_000));
    assert_eq!(d(Value::Int(90)), Ok(90_000_000_000));
    assert_eq!(d(Value::str("2.5")), Ok(2_500_000_000));
    assert_eq!(d(Value::str(" 5s ")), Ok(5_000_000_000));
    assert_eq!(d(Value::Float(1.5)), Ok(1_500_000_000));
    assert_eq!(
        d(Value::str("x")).unwrap_err(),
        "could not parse duration \"x\""
    );
    assert_eq!(d(Value::str("")).unwrap_err(), "empty duration");
    assert_eq!(d(Value::Nil).unwrap_err(), "invalid duration");
    assert_eq!(
        d(Value::Bool(true)).unwrap_err(),
        "unsupported duration type bool"
    );
    assert_eq!(
        gotime::duration_round(5_340_000_000_000, 3_600_000_000_000),
        3_600_000_000_000
    );
    assert_eq!(
        gotime::duration_truncate(7_140_000_000_000, 3_600_000_000_000),
        3_600_000_000_000
    );
}

#[test]
fn fixed_clock() {
    rng::set_now(Some((1_000_000, 0)));
    assert_eq!(GoTime::now().secs, 1_000_000);
    let past = TimeObject::value(GoTime::utc(1_000_000 - 3_661, 400_000_000));
    assert_eq!(dates::ago(&past), "1h1m1s");
    assert_eq!(
        dates::duration_round(&TimeObject::value(GoTime::utc(1_000_000 - 400 * 86_400, 0))),
        "1y"
    );
    rng::set_now(None);
}

#[test]
fn parse_never_panics_on_multibyte_input() {
    for layout in [
        "Jan 2006",
        "3PM",
        "15:04 MST",
        "2006-01-02T15:04:05Z07:00",
        "-07:00:00",
        "Monday",
    ] {
        for value in [
            "é",
            "Jaé",
            "3é",
            "15:04 Ué",
            "2024-01-02T03:04:05+0é",
            "+é",
            "Moé",
            "ééééééééééé",
        ] {
            let _ = gotime::parse(layout, value);
        }
    }
    assert!(gotime::parse("3PM", "3é").is_err());
}
