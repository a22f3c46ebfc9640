//! Scheduled work, claimed in the database so that several instances do it once.

pub mod clock;
pub mod digest;
pub mod digest_settings;
mod trigger;

pub use clock::{Clock, ManualClock, SystemClock};
pub use digest::{DigestRunner, DigestSink, RunOutcome};
pub use digest_settings::{DigestChannel, DigestSettings, Quiet};
