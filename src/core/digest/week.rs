//! ISO weeks (`2026-W47`) and where they start and end in a timezone. A digest week runs from
//! Monday 00:00 to the next Monday 00:00 *local time* in the channel's timezone, so a week that
//! contains a daylight-saving change is 167 or 169 hours long.

use crate::domain::UserError;
use chrono::{Datelike, Duration, LocalResult, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    monday: NaiveDate,
}

impl IsoWeek {
    /// The ISO week `date` falls in.
    pub fn containing(date: NaiveDate) -> Self {
        let back = i64::from(date.weekday().num_days_from_monday());
        Self {
            monday: date - Duration::days(back),
        }
    }

    /// Parses `2026-W47` (also `2026-w7`).
    pub fn parse(s: &str) -> Result<Self, UserError> {
        let bad = || UserError::new(format!("bad week {s:?}: expected YYYY-Www, e.g. 2026-W47"));
        let (year, week) = s.trim().split_once(['W', 'w']).ok_or_else(bad)?;
        let year: i32 = year
            .strip_suffix('-')
            .ok_or_else(bad)?
            .parse()
            .map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .map(|monday| Self { monday })
            .ok_or_else(bad)
    }

    pub fn monday(self) -> NaiveDate {
        self.monday
    }

    pub fn previous(self) -> Self {
        Self {
            monday: self.monday - Duration::days(7),
        }
    }

    pub fn next(self) -> Self {
        Self {
            monday: self.monday + Duration::days(7),
        }
    }

    /// `n` weeks ending with this one, oldest first.
    pub fn history(self, n: usize) -> Vec<Self> {
        let mut weeks: Vec<Self> = std::iter::successors(Some(self), |w| Some(w.previous()))
            .take(n)
            .collect();
        weeks.reverse();
        weeks
    }

    /// Milliseconds since the epoch of Monday 00:00 local time in `tz` (the first valid instant
    /// when midnight falls in a daylight-saving gap).
    pub fn start_ms(self, tz: Tz) -> i64 {
        local_midnight_ms(self.monday, tz)
    }

    /// [start, end) of the week in `tz`, in milliseconds.
    pub fn bounds_ms(self, tz: Tz) -> (i64, i64) {
        (self.start_ms(tz), self.next().start_ms(tz))
    }

    /// `W47`, for chart labels.
    pub fn short(self) -> String {
        format!("W{:02}", self.monday.iso_week().week())
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.monday.iso_week();
        write!(f, "{}-W{:02}", w.year(), w.week())
    }
}

fn local_midnight_ms(date: NaiveDate, tz: Tz) -> i64 {
    let mut t = date.and_time(chrono::NaiveTime::MIN);
    // A gap lasts at most a few hours; step through it.
    for _ in 0..48 {
        match tz.from_local_datetime(&t) {
            LocalResult::Single(d) => return d.timestamp_millis(),
            LocalResult::Ambiguous(first, _) => return first.timestamp_millis(),
            LocalResult::None => t += Duration::minutes(30),
        }
    }
    date.and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_weeks() {
        let w = IsoWeek::parse("2026-W47").unwrap();
        assert_eq!(w.monday(), NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
        assert_eq!(w.to_string(), "2026-W47");
        assert_eq!(w.previous().to_string(), "2026-W46");
        // 2026-01-01 is a Thursday: ISO week 1 of 2026 starts on 2025-12-29.
        assert_eq!(
            IsoWeek::parse("2026-W01").unwrap().previous().to_string(),
            "2025-W52"
        );
        for bad in [
            "2026-47",
            "2026-W54",
            "2026-W00",
            "W47",
            "26-Wx",
            "",
            "2026-W2026-W1",
        ] {
            assert!(IsoWeek::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(IsoWeek::parse("2020-W53").unwrap().to_string(), "2020-W53");
    }

    #[test]
    fn a_week_with_a_dst_change_is_not_168_hours() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // 2026-10-25: clocks go back one hour in Berlin.
        let (start, end) = IsoWeek::parse("2026-W43").unwrap().bounds_ms(berlin);
        assert_eq!(end - start, 169 * 3_600_000);
        let (start, _) = IsoWeek::parse("2026-W44").unwrap().bounds_ms(berlin);
        assert_eq!(start, end);
        assert_eq!(
            history_labels(IsoWeek::parse("2026-W02").unwrap()),
            ["W51", "W52", "W01", "W02"]
        );
    }

    fn history_labels(w: IsoWeek) -> Vec<String> {
        w.history(4).into_iter().map(IsoWeek::short).collect()
    }
}
