//! The use cases of Sightline, with no HTTP in sight: what happens when a tip is filed, when a
//! person acts on it, when a clock runs out. The web layer and the `sightline` command are two
//! doors into the same functions.
//!
//! Every use case takes a [`Ctx`] (the store, the clock, the keys, the routing cache, the event
//! sink and the job wake-up), parses nothing (its inputs are domain types or already-checked
//! values), asks `domain` to decide, and commits through `store` — the change and its audit
//! event in one transaction. Errors are [`AppError`]s, which each door maps to its own answer.
//!
//! # Layout
//! - [`ctx`], [`error`], [`clock`], [`routing`], [`limiter`], [`outbound`]: what every use case shares.
//! - [`intake`], [`desk`], [`links`], [`tipster`], [`auth`], [`oversight`], [`attachments`],
//!   [`admin`]: the use cases; [`chain`]: the audit chain's key, checkpoints and verification;
//!   [`demo`]: the demo world through the same paths.
//! - [`jobs`]: escalation, the notification outbox, matching and audit checkpoints, run by the scheduler.
//! - [`resolution`], [`sealed`], [`geo`], [`policy`]: helpers of the use cases above.
//!
//! Modules of the coming issues are folders here (`cases/`, `sharing/`, `warnings/`, …).

pub mod access;
pub mod admin;
pub mod attachments;
pub mod auth;
pub mod chain;
pub mod clock;
pub mod ctx;
pub mod demo;
pub mod desk;
pub mod displays;
pub mod error;
pub mod geo;
pub mod intake;
pub mod jobs;
pub mod keys;
pub mod limiter;
pub mod links;
pub mod outbound;
pub mod oversight;
pub mod policy;
pub mod resolution;
pub mod routing;
pub mod sealed;
pub mod tipster;

pub use ctx::{Ctx, Options, TipEvent};
pub use error::{AppError, AppResult};
