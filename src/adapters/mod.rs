//! Platform adapters: each turns platform events into `core::Inbound`, runs them through the
//! shared `core::Pipeline`, and renders `Reply` within its platform's limits.

pub mod discord;
pub mod slack;
