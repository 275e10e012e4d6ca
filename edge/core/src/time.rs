//! Instants as Unix milliseconds, and the RFC 3339 text the API speaks.
//!
//! Hand-written rather than a date crate: the API needs only UTC formatting and parsing, and this
//! keeps the Worker's wasm small. The civil-date arithmetic is Howard Hinnant's `days_from_civil`.

/// Milliseconds since the Unix epoch, UTC. The only notion of "now" the core knows.
pub type UnixMillis = i64;

pub const SECOND: i64 = 1_000;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// `2026-11-22T10:30:00Z` (whole seconds, UTC).
pub fn format_rfc3339(at: UnixMillis) -> String {
    let secs = at.div_euclid(SECOND);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `2026-11-22` for the instant's UTC day.
pub fn format_date(at: UnixMillis) -> String {
    let (y, m, d) = civil_from_days(at.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses `YYYY-MM-DD` as midnight UTC.
pub fn parse_date(text: &str) -> Option<UnixMillis> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * DAY)
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
pub fn parse_rfc3339(text: &str) -> Option<UnixMillis> {
    if text.len() < 20 || !text.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = text.split_at(10);
    let midnight = parse_date(date)?;
    let rest = rest.strip_prefix(['T', 't'])?.as_bytes();
    if rest.len() < 9 || rest[2] != b':' || rest[5] != b':' {
        return None;
    }
    let (h, mi, s) = (
        digits(&rest[0..2])?,
        digits(&rest[3..5])?,
        digits(&rest[6..8])?,
    );
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let mut tail = &rest[8..];
    let mut millis = 0;
    if let Some(fraction) = tail.strip_prefix(b".") {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        let first3: i64 = fraction[..len.min(3)]
            .iter()
            .fold(0, |acc, c| acc * 10 + i64::from(c - b'0'));
        millis = first3 * 10_i64.pow(3 - len.min(3) as u32);
        tail = &fraction[len..];
    }
    let offset = match tail {
        [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
            let minutes = digits(&[*oh1, *oh2])? * 60 + digits(&[*om1, *om2])?;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    Some(midnight + (h * 3600 + mi * 60 + s) * SECOND + millis - offset * MINUTE)
}

fn digits(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0, |acc, c| acc * 10 + i64::from(c - b'0')),
    )
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOV_22_2026_NOON: UnixMillis = 1_795_348_800_000;

    #[test]
    fn formats_utc_instants_to_the_second() {
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            format_rfc3339(NOV_22_2026_NOON + 999),
            "2026-11-22T12:00:00Z"
        );
        assert_eq!(format_date(NOV_22_2026_NOON), "2026-11-22");
    }

    #[test]
    fn parsing_round_trips_formatting() {
        for at in [0, 951_782_400_000, NOV_22_2026_NOON, 4_102_444_800_000] {
            assert_eq!(parse_rfc3339(&format_rfc3339(at)), Some(at));
        }
    }

    #[test]
    fn parses_fractions_and_offsets() {
        assert_eq!(
            parse_rfc3339("2026-11-22T12:00:00.250Z"),
            Some(NOV_22_2026_NOON + 250)
        );
        assert_eq!(
            parse_rfc3339("2026-11-22T13:30:00+01:30"),
            Some(NOV_22_2026_NOON)
        );
        assert_eq!(
            parse_rfc3339("2026-11-22T10:00:00-02:00"),
            Some(NOV_22_2026_NOON)
        );
    }

    #[test]
    fn rejects_impossible_dates_and_garbage() {
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-1-01",
            "26-11-22",
            "",
            "2026-11-22x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800_000));
        for bad in [
            "2026-11-22T24:00:00Z",
            "2026-11-22T12:00:00",
            "2026-11-22 12:00:00Z",
            "2026-11-22T12:00:00.Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
