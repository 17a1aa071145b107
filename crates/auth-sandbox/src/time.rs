//! Wall-clock time as the services write it: unix seconds and milliseconds, and ISO-8601
//! UTC timestamps with milliseconds (`2025-01-02T03:04:05.000Z`, JavaScript's
//! `Date.prototype.toISOString`, which NestJS services put in their JSON).

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the unix epoch at `at` (0 before it).
pub(crate) fn unix_secs(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Seconds since the unix epoch, now on the sandbox's clock (see `clock.rs`).
pub(crate) fn unix_now() -> u64 {
    unix_secs(crate::clock::now())
}

/// Milliseconds since the unix epoch, now on the sandbox's clock (see `clock.rs`).
pub(crate) fn unix_now_ms() -> u64 {
    crate::clock::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` of a time in unix milliseconds, in UTC.
pub(crate) fn iso8601(unix_ms: u64) -> String {
    let (secs, millis) = (unix_ms / 1000, unix_ms % 1000);
    let (days, of_day) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (of_day / 3600, of_day % 3600 / 60, of_day % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z")
}

/// The proleptic Gregorian `(year, month, day)` of a day number counted from 1970-01-01
/// (Howard Hinnant's `civil_from_days`, for days on or after the epoch).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01, so that a leap day is the last day of its year.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The millisecond values were computed with Python's `datetime` (UTC), independently
    // of this code.
    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_735_787_045_000), "2025-01-02T03:04:05.000Z");
        assert_eq!(iso8601(1_735_787_045_007), "2025-01-02T03:04:05.007Z");
        // A leap day of a year divisible by 400.
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
        // 2100 is not a leap year: 1 March follows 28 February.
        assert_eq!(iso8601(4_107_628_799_999), "2100-03-01T23:59:59.999Z");
    }

    fn days_in_month(year: u64, month: u64) -> u64 {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    #[test]
    fn every_day_follows_the_previous_one() {
        // Walk 1970..2101 day by day: the date advances by exactly one day each time, and
        // a month ends after exactly its number of days (leap years included).
        let mut previous = civil_from_days(0);
        assert_eq!(previous, (1970, 1, 1));
        for days in 1..48_000u64 {
            let (y, m, d) = civil_from_days(days);
            let (py, pm, pd) = previous;
            let expected = if pd < days_in_month(py, pm) {
                (py, pm, pd + 1)
            } else if pm < 12 {
                (py, pm + 1, 1)
            } else {
                (py + 1, 1, 1)
            };
            assert_eq!((y, m, d), expected, "day {days}");
            previous = (y, m, d);
        }
        assert_eq!(previous, (2101, 6, 2));
    }
}
