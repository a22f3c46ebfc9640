//! When a channel's digest is due. A schedule is a cron expression read in an IANA timezone:
//! `0 9 * * MON` in `Europe/Berlin` fires at 09:00 Berlin time every Monday, which is 08:00 UTC
//! in winter and 07:00 UTC in summer.
//!
//! The runner only ever looks at the *latest* fire time at or before now, and a fire time
//! covers the past complete ISO week in the channel's timezone: the week before the one the
//! fire time falls in (a Monday 09:00 digest covers Monday to Sunday just ended). So a bot that
//! was down for three scheduled times posts once when it comes back, for the latest week only.

use super::week::IsoWeek;
use crate::domain::UserError;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use croner::Cron;

#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    tz: Tz,
}

/// How far back `latest_fire` looks: further than any sensible digest schedule's period.
const LOOKBACK_DAYS: [i64; 4] = [1, 8, 32, 367];
/// Fire times examined per lookback window, so a per-minute schedule can't spin for long.
const MAX_STEPS: usize = 100_000;

impl Schedule {
    /// A cron expression (5 fields, or 6 with seconds) and an IANA timezone name.
    pub fn parse(cron: &str, timezone: &str) -> Result<Self, UserError> {
        let tz: Tz = timezone.trim().parse().map_err(|_| {
            UserError::new(format!(
                "unknown timezone {timezone:?}: use an IANA name such as Europe/Berlin"
            ))
        })?;
        let cron = Cron::new(cron.trim())
            .with_seconds_optional()
            .parse()
            .map_err(|e| UserError::new(format!("bad cron schedule {cron:?}: {e}")))?;
        Ok(Self { cron, tz })
    }

    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// The latest fire time at or before `now`, in the schedule's timezone.
    pub fn latest_fire(&self, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
        let now = now.with_timezone(&self.tz);
        for days in LOOKBACK_DAYS {
            let start = now - Duration::days(days);
            let latest = self
                .cron
                .iter_from(start)
                .take(MAX_STEPS)
                .take_while(|t| *t <= now)
                .last();
            if latest.is_some() {
                return latest;
            }
        }
        None
    }

    /// The first fire time strictly after `now`.
    pub fn next_fire(&self, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
        self.cron
            .find_next_occurrence(&now.with_timezone(&self.tz), false)
            .ok()
    }

    /// The week a digest fired at `fire` covers: the past complete ISO week, locally.
    pub fn covered_week(&self, fire: &DateTime<Tz>) -> IsoWeek {
        IsoWeek::containing(fire.with_timezone(&self.tz).date_naive()).previous()
    }

    /// The week the latest fire time at or before `now` covers, if the schedule ever fired.
    pub fn due_week(&self, now: DateTime<Utc>) -> Option<IsoWeek> {
        self.latest_fire(now).map(|f| self.covered_week(&f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn fires_at_nine_local_on_both_sides_of_a_dst_change() {
        let s = Schedule::parse("0 9 * * MON", "Europe/Berlin").unwrap();
        // Berlin leaves summer time on Sunday 2026-10-25.
        let before = s.latest_fire(utc("2026-10-20T12:00:00Z")).unwrap();
        let after = s.latest_fire(utc("2026-10-27T12:00:00Z")).unwrap();
        assert_eq!((before.hour(), after.hour()), (9, 9));
        assert_eq!(before.with_timezone(&Utc), utc("2026-10-19T07:00:00Z"));
        assert_eq!(after.with_timezone(&Utc), utc("2026-10-26T08:00:00Z"));
        let next = s.next_fire(utc("2026-10-20T12:00:00Z")).unwrap();
        assert_eq!(next.with_timezone(&Utc), utc("2026-10-26T08:00:00Z"));
        assert_eq!(s.covered_week(&after).to_string(), "2026-W43");
    }

    #[test]
    fn new_york_spring_forward_moves_the_utc_hour() {
        let s = Schedule::parse("0 9 * * MON", "America/New_York").unwrap();
        // Clocks go forward on Sunday 2026-03-08.
        let before = s.latest_fire(utc("2026-03-03T00:00:00Z")).unwrap();
        let after = s.latest_fire(utc("2026-03-10T00:00:00Z")).unwrap();
        assert_eq!(before.with_timezone(&Utc).hour(), 14);
        assert_eq!(after.with_timezone(&Utc).hour(), 13);
    }

    #[test]
    fn the_latest_fire_is_at_or_before_now_and_covers_the_past_week() {
        let s = Schedule::parse("0 9 * * MON", "UTC").unwrap();
        let exactly = utc("2026-11-23T09:00:00Z");
        assert_eq!(s.latest_fire(exactly).unwrap().with_timezone(&Utc), exactly);
        let just_before = utc("2026-11-23T08:59:59Z");
        assert_eq!(
            s.latest_fire(just_before).unwrap().with_timezone(&Utc),
            utc("2026-11-16T09:00:00Z")
        );
        assert_eq!(s.due_week(exactly).unwrap().to_string(), "2026-W47");
        assert_eq!(s.due_week(just_before).unwrap().to_string(), "2026-W46");
        // Weeks of downtime: still only the latest week is due.
        assert_eq!(
            s.due_week(utc("2026-12-09T00:00:00Z")).unwrap().to_string(),
            "2026-W49"
        );
        let wednesday = Schedule::parse("30 17 * * WED", "Asia/Tokyo").unwrap();
        let fire = wednesday.latest_fire(utc("2026-11-20T00:00:00Z")).unwrap();
        assert_eq!(
            fire,
            chrono_tz::Asia::Tokyo
                .with_ymd_and_hms(2026, 11, 18, 17, 30, 0)
                .unwrap()
        );
        assert_eq!(wednesday.covered_week(&fire).to_string(), "2026-W46");
    }

    #[test]
    fn bad_schedules_and_zones_are_user_errors() {
        assert!(Schedule::parse("0 9 * * FUNDAY", "UTC")
            .unwrap_err()
            .0
            .contains("cron"));
        assert!(Schedule::parse("every monday", "UTC").is_err());
        assert!(Schedule::parse("0 9 * * MON", "Mars/Olympus")
            .unwrap_err()
            .0
            .contains("timezone"));
        assert!(Schedule::parse("0 9 * * MON", "").is_err());
    }
}
