//! Verifies that a request came from Slack: `v0=` HMAC-SHA256 of `v0:{timestamp}:{raw body}`
//! under the signing secret, with the timestamp within five minutes of now (so a captured
//! request can't be replayed later) and a constant-time comparison.

use super::settings::Secret;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::sync::Arc;

/// How far a request's timestamp may be from now, either way.
pub const MAX_SKEW_SECS: i64 = 300;

/// Seconds since the Unix epoch; injected so tests can fix "now".
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("missing X-Slack-Request-Timestamp or X-Slack-Signature")]
    Missing,
    #[error("request timestamp is not a number or is more than 5 minutes from now")]
    Stale,
    #[error("signature does not match")]
    BadSignature,
}

#[derive(Clone)]
pub struct Verifier {
    secret: Secret,
    clock: Clock,
}

impl Verifier {
    pub fn new(secret: Secret, clock: Clock) -> Self {
        Self { secret, clock }
    }

    /// A verifier on the system clock.
    pub fn system(secret: Secret) -> Self {
        Self::new(secret, Arc::new(|| chrono::Utc::now().timestamp()))
    }

    /// Checks the two headers' values against the raw request body.
    pub fn verify(
        &self,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<(), Rejected> {
        let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
            return Err(Rejected::Missing);
        };
        let ts: i64 = timestamp.trim().parse().map_err(|_| Rejected::Stale)?;
        // Saturating: a forged timestamp near i64::MIN must not overflow.
        if (self.clock)().saturating_sub(ts).unsigned_abs() > MAX_SKEW_SECS.unsigned_abs() {
            return Err(Rejected::Stale);
        }
        let given = signature
            .strip_prefix("v0=")
            .and_then(|h| hex::decode(h).ok())
            .ok_or(Rejected::BadSignature)?;
        // `verify_slice` compares in constant time.
        mac(&self.secret, timestamp, body)
            .verify_slice(&given)
            .map_err(|_| Rejected::BadSignature)
    }
}

/// The `X-Slack-Signature` value Slack would send for `body` at `timestamp`.
pub fn sign(secret: &Secret, timestamp: &str, body: &[u8]) -> String {
    format!(
        "v0={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

fn mac(secret: &Secret, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()).expect("HMAC takes any key");
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    // Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const TS: &str = "1531420618";
    const BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const EXPECTED: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    fn at(now: i64) -> Verifier {
        Verifier::new(Secret::new(SECRET), Arc::new(move || now))
    }

    #[test]
    fn slacks_documented_example_verifies() {
        assert_eq!(sign(&Secret::new(SECRET), TS, BODY.as_bytes()), EXPECTED);
        assert_eq!(
            at(1531420618).verify(Some(TS), Some(EXPECTED), BODY.as_bytes()),
            Ok(())
        );
    }

    #[test]
    fn window_is_five_minutes_either_way() {
        let v = |now| at(now).verify(Some(TS), Some(EXPECTED), BODY.as_bytes());
        assert_eq!(v(1531420618 + 300), Ok(()));
        assert_eq!(v(1531420618 - 300), Ok(()));
        assert_eq!(v(1531420618 + 301), Err(Rejected::Stale));
        assert_eq!(v(1531420618 - 301), Err(Rejected::Stale));
    }

    #[test]
    fn tampering_and_missing_headers_are_rejected() {
        let v = at(1531420618);
        let body = BODY.replace("text=", "text=x");
        assert_eq!(
            v.verify(Some(TS), Some(EXPECTED), body.as_bytes()),
            Err(Rejected::BadSignature)
        );
        let wrong = EXPECTED.replace("a2114", "a2115");
        assert_eq!(
            v.verify(Some(TS), Some(&wrong), BODY.as_bytes()),
            Err(Rejected::BadSignature)
        );
        let no_prefix = EXPECTED.trim_start_matches("v0=");
        assert_eq!(
            v.verify(Some(TS), Some(no_prefix), BODY.as_bytes()),
            Err(Rejected::BadSignature)
        );
        assert_eq!(
            v.verify(Some(TS), Some("v0=zz"), BODY.as_bytes()),
            Err(Rejected::BadSignature)
        );
        assert_eq!(
            v.verify(None, Some(EXPECTED), BODY.as_bytes()),
            Err(Rejected::Missing)
        );
        assert_eq!(
            v.verify(Some(TS), None, BODY.as_bytes()),
            Err(Rejected::Missing)
        );
        assert_eq!(
            v.verify(Some("soon"), Some(EXPECTED), BODY.as_bytes()),
            Err(Rejected::Stale)
        );
        for extreme in [i64::MIN, i64::MAX] {
            let ts = extreme.to_string();
            assert_eq!(
                v.verify(Some(&ts), Some(EXPECTED), BODY.as_bytes()),
                Err(Rejected::Stale)
            );
        }
        // A signature made for another timestamp doesn't carry over.
        assert_eq!(
            v.verify(Some("1531420619"), Some(EXPECTED), BODY.as_bytes()),
            Err(Rejected::BadSignature)
        );
    }
}
