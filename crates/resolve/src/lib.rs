//! Entity resolution for Sightline: links tips to the people they are about,
//! across agencies, with reasons a detective can read.
//!
//! Pipeline: [`normalize`] raw fields → [`blocking`] keys → [`compare`] field
//! levels → [`model`] Fellegi–Sunter weights (m by EM, u from random pairs:
//! [`train`]) → [`cluster`] → [`explain`]. [`online::OnlineIndex`] matches
//! one mention at a time; [`batch::run_batch`] resolves a CSV file.

pub mod batch;
pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod error;
pub mod explain;
pub mod extract;
pub mod model;
pub mod normalize;
pub mod online;
pub mod record;
pub mod train;

pub use batch::{BadRow, BatchConfig, BatchReport, Clustering, resolve, run_batch, run_batch_with};
pub use compare::{Field, compare};
pub use error::Error;
pub use explain::{Explanation, explain, explain_norm};
pub use model::Model;
pub use online::{Candidate, OnlineIndex};
pub use record::{NormRecord, Normalizer, Record};
