//! RFC 3339 times that keep their text, so a message formats back byte for byte.

use std::fmt;
use std::time::{Duration, SystemTime};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// An RFC 3339 date-time (`2021-09-30T16:25:24.000Z`, `2021-09-30T16:25:24-02:00`): the
/// text as written, and the instant it names.
///
/// Two timestamps are equal when their texts are equal (the same instant written with
/// another offset is another text, hence another message).
///
/// ```
/// use auth_signing::sign_in::Timestamp;
/// let t = Timestamp::parse("2022-01-27T17:09:38.578Z")?;
/// assert_eq!(t.to_string(), "2022-01-27T17:09:38.578Z");
/// assert!(Timestamp::parse("2022-02-31T17:09:38.578Z").is_err()); // no 31 February
/// assert!(Timestamp::parse("Wed Oct 05 2011 16:48:00 GMT+0200").is_err());
/// # Ok::<(), auth_signing::sign_in::TimestampError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    unix_nanos: i128,
}

/// Why a text is not an RFC 3339 date-time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimestampError {
    /// The text is not `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` naming a real
    /// date and time.
    #[error("must be an RFC 3339 date-time such as 2021-09-30T16:25:24.000Z")]
    NotRfc3339,
}

impl Timestamp {
    /// Parses an RFC 3339 date-time, keeping its text.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        let at = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| TimestampError::NotRfc3339)?;
        Ok(Timestamp {
            text: text.to_owned(),
            unix_nanos: at.unix_timestamp_nanos(),
        })
    }

    /// The time `t` in UTC with milliseconds, as `2021-09-30T16:25:24.000Z`. Times outside
    /// the years 0000 to 9999 are clamped to the nearest one that RFC 3339 can write.
    pub fn from_system_time(t: SystemTime) -> Timestamp {
        const MIN: i128 = -62_167_219_200_000_000_000; // 0000-01-01T00:00:00Z
        const MAX: i128 = 253_402_300_799_999_000_000; // 9999-12-31T23:59:59.999Z
        let nanos = match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(MAX),
        };
        let millis = nanos.clamp(MIN, MAX).div_euclid(1_000_000);
        let unix_nanos = millis * 1_000_000;
        let text = match OffsetDateTime::from_unix_timestamp_nanos(unix_nanos) {
            Ok(at) => format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                at.year(),
                u8::from(at.month()),
                at.day(),
                at.hour(),
                at.minute(),
                at.second(),
                at.millisecond()
            ),
            // Unreachable: the range was clamped to what `time` represents.
            Err(_) => "1970-01-01T00:00:00.000Z".to_owned(),
        };
        Timestamp { text, unix_nanos }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant, as a [`SystemTime`] (saturating where the platform's `SystemTime`
    /// cannot go).
    pub fn to_system_time(&self) -> SystemTime {
        let magnitude =
            u64::try_from(self.unix_nanos.unsigned_abs() / 1_000_000_000).unwrap_or(u64::MAX);
        let sub = u32::try_from(self.unix_nanos.unsigned_abs() % 1_000_000_000).unwrap_or(0);
        let span = Duration::new(magnitude, sub);
        if self.unix_nanos >= 0 {
            SystemTime::UNIX_EPOCH
                .checked_add(span)
                .unwrap_or(SystemTime::UNIX_EPOCH)
        } else {
            SystemTime::UNIX_EPOCH
                .checked_sub(span)
                .unwrap_or(SystemTime::UNIX_EPOCH)
        }
    }

    /// Nanoseconds since the Unix epoch (negative before it).
    pub(crate) fn unix_nanos(&self) -> i128 {
        self.unix_nanos
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.text).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_system_time_writes_milliseconds_in_utc() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_nanos(1_633_019_124_123_999_999);
        assert_eq!(
            Timestamp::from_system_time(t).as_str(),
            "2021-09-30T16:25:24.123Z"
        );
        let before = SystemTime::UNIX_EPOCH - Duration::from_millis(1);
        assert_eq!(
            Timestamp::from_system_time(before).as_str(),
            "1969-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn round_trips_through_system_time() {
        let t = Timestamp::parse("1960-01-01T00:00:00.5+01:00").unwrap_or_else(|e| panic!("{e}"));
        let again = Timestamp::from_system_time(t.to_system_time());
        assert_eq!(again.as_str(), "1959-12-31T23:00:00.500Z");
        assert_eq!(again.unix_nanos(), t.unix_nanos());
    }
}
