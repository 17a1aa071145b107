//! RFC 3339 date-times, as EIP-4361 writes `Issued At`, `Expiration Time` and `Not
//! Before`: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, read to unix milliseconds.

/// The unix milliseconds of an RFC 3339 date-time; `None` if it is not one, or is before
/// 1970. Fractions beyond milliseconds are cut; a leap second (`:60`) is refused.
pub(crate) fn parse_ms(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let shape = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(shape(4, b'-') && shape(7, b'-') && shape(13, b':') && shape(16, b':')) {
        return None;
    }
    let (year, month, day) = (digits(b, 0, 4)?, digits(b, 5, 2)?, digits(b, 8, 2)?);
    let (hour, minute, second) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 || year < 1970 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0;
    if b[i] == b'.' {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        let fraction = format!("{:0<3}", &text[start..(start + 3).min(i)]);
        millis = fraction.parse::<u64>().ok()?;
    }
    let offset_secs: i64 = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (digits(b, i + 1, 2)?, digits(b, i + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i64::try_from(h * 3600 + m * 60).ok()?;
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let local = i64::try_from(days * 86_400 + hour * 3600 + minute * 60 + second).ok()?;
    let utc = u64::try_from(local.checked_sub(offset_secs)?).ok()?;
    utc.checked_mul(1000)?.checked_add(millis)
}

/// The number of `len` ASCII digits at `at`.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u64> {
    let part = b.get(at..at + len)?;
    part.iter().try_fold(0u64, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u64::from(c - b'0'))
    })
}

fn days_in_month(year: u64, month: u64) -> u64 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date on or after it (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_from_march = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::iso8601;

    // The millisecond values were computed with Python's `datetime` (UTC).
    #[test]
    fn reads_known_instants() {
        assert_eq!(parse_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_ms("2025-01-02T03:04:05.000Z"),
            Some(1_735_787_045_000)
        );
        assert_eq!(
            parse_ms("2025-01-02T03:04:05.0071234Z"),
            Some(1_735_787_045_007)
        );
        assert_eq!(parse_ms("2025-01-02T03:04:05.5Z"), Some(1_735_787_045_500));
        assert_eq!(
            parse_ms("2025-01-02T05:04:05+02:00"),
            Some(1_735_787_045_000)
        );
        assert_eq!(
            parse_ms("2025-01-01T22:04:05-05:00"),
            Some(1_735_787_045_000)
        );
        assert_eq!(parse_ms("2000-02-29T00:00:00z"), Some(951_782_400_000));
    }

    #[test]
    fn agrees_with_the_writer_day_by_day() {
        for day in (0..50_000u64).step_by(7) {
            let ms = day * 86_400_000 + 3_723_456;
            assert_eq!(parse_ms(&iso8601(ms)), Some(ms), "{}", iso8601(ms));
        }
    }

    #[test]
    fn refuses_what_is_not_a_date_time() {
        for bad in [
            "",
            "2025-01-02",
            "2025-01-02 03:04:05Z",
            "2025-01-02T03:04:05",
            "2025-01-02T03:04:05.Z",
            "2025-13-02T03:04:05Z",
            "2025-02-29T03:04:05Z",
            "2025-01-02T24:04:05Z",
            "2025-01-02T03:04:60Z",
            "2025-01-02T03:04:05+0200",
            "2025-01-02T03:04:05Z ",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00+00:01",
            "２０２５-01-02T03:04:05Z",
            "+2025-01-02T03:04:05Z",
        ] {
            assert_eq!(parse_ms(bad), None, "{bad}");
        }
    }
}
