//! `crossroads audit --since DATE`: every moderator action (allowed or refused) and knowledge
//! change since a date, oldest first, one tab-separated line each.

use super::print;
use crate::config::Settings;
use crate::domain::UserError;
use chrono::{DateTime, NaiveDate, Utc};

/// Accepts `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time.
pub fn parse_since(s: &str) -> Result<i64, UserError> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp_millis()));
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            UserError::new(format!(
                "--since {s:?} is not a date: use YYYY-MM-DD or an RFC 3339 time"
            ))
        })
}

pub async fn run(settings: &Settings, since: &str) -> anyhow::Result<()> {
    let since = parse_since(since)?;
    let store = crate::store::connect(&settings.database_url).await?;
    let mut out = String::new();
    for e in store.audit_since(since).await? {
        let at = DateTime::<Utc>::from_timestamp_millis(e.at)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default();
        let verdict = if e.allowed { "allowed" } else { "refused" };
        out.push_str(&format!(
            "{at}\t{verdict}\t{}\t{}\t{}\t{}\n",
            e.actor, e.action, e.target, e.detail
        ));
    }
    print(&out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_and_times_parse_and_garbage_does_not() {
        assert_eq!(super::parse_since("1970-01-02").unwrap(), 86_400_000);
        assert_eq!(super::parse_since("1970-01-01T00:00:01Z").unwrap(), 1000);
        assert!(super::parse_since("last week").is_err());
    }
}
