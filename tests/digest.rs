//! The weekly digest end to end on both backends: schedules with an injected clock, claims and
//! leases, races between instances, missed weeks, anonymity, and the platform sinks.

#[macro_use]
mod support {
    #[macro_use]
    pub mod db;
    pub mod discord;
    pub mod slack;
}

#[path = "digest_cases/cli.rs"]
mod cli;
#[path = "digest_cases/data.rs"]
mod data;
#[path = "digest_cases/runner.rs"]
mod runner;
#[path = "digest_cases/sinks.rs"]
mod sinks;

pub use support::db::{fresh, Backend, TestDb};
