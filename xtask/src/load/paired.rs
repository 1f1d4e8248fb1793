//! The share of the raw limit from paired slices: a few seconds of intake over HTTP, then a few
//! seconds of the raw limit, again and again, each pair's share taken, and their median.
//!
//! On a virtual machine the host takes CPU time, and the disk's sync latency moves, from one
//! minute to the next: one intake level and one raw rate measured minutes apart put the same
//! code anywhere from 43 % to 71 % of the limit. Measured seconds apart, both sides of a pair
//! meet nearly the same machine, and the median of the pairs is not swayed by one bad moment.

use super::raw::{self, Checkpoints, RAW_BATCH};
use super::{STOLEN_TO_JUDGE, intake};
use crate::serve;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

/// Pairs that count a run takes pairs until it has...
pub(super) const PAIRS: usize = 5;
/// ...or until it has taken this many: on a busy host a minute without steal is rare.
pub(super) const MOST_PAIRS: usize = 12;
/// Seconds of each side of a pair.
pub(super) const SLICE_SECONDS: f64 = 8.0;
/// Pause after each side, so that the other does not meet its leftovers (the server's
/// checkpoint after the intake, the raw file's on closing).
const PAUSE: Duration = Duration::from_secs(1);
/// Pairs that count needed for a verdict.
pub(super) const PAIRS_TO_JUDGE: usize = 3;

/// One pair: the intake's rate and the raw rate, seconds apart.
pub(super) struct Pair {
    pub intake: f64,
    pub intake_stolen: f64,
    pub errors: u64,
    pub raw: f64,
    pub raw_stolen: f64,
}

impl Pair {
    /// The intake as a percentage of the raw rate.
    pub fn share(&self) -> f64 {
        if self.raw > 0.0 { self.intake / self.raw * 100.0 } else { 0.0 }
    }

    /// Whether the pair counts towards the verdict: undisturbed, every request answered, and
    /// both sides wrote something.
    pub fn counts(&self) -> bool {
        self.undisturbed() && self.errors == 0 && self.intake > 0.0 && self.raw > 0.0
    }

    /// Whether the host left both sides alone enough for the pair to count. No steal figure
    /// (NaN: not Linux) counts as undisturbed.
    pub fn undisturbed(&self) -> bool {
        !(self.intake_stolen > STOLEN_TO_JUDGE || self.raw_stolen > STOLEN_TO_JUDGE)
    }
}

/// The pairs of a run, in order, and the clients filing on the intake side.
pub(super) struct Pairs {
    pub clients: usize,
    pub pairs: Vec<Pair>,
}

impl Pairs {
    /// The pairs that count towards the verdict ([`Pair::counts`]).
    pub fn counting(&self) -> impl Iterator<Item = &Pair> {
        self.pairs.iter().filter(|p| p.counts())
    }

    /// The median share of the pairs that count, if there are enough of them to judge.
    pub fn median_share(&self) -> Option<f64> {
        let mut shares: Vec<f64> = self.counting().map(Pair::share).collect();
        if shares.len() < PAIRS_TO_JUDGE {
            return None;
        }
        shares.sort_by(f64::total_cmp);
        let mid = shares.len() / 2;
        Some(if shares.len() % 2 == 1 { shares[mid] } else { (shares[mid - 1] + shares[mid]) / 2.0 })
    }

    /// Measures pairs until [`PAIRS`] count, [`MOST_PAIRS`] at most: `clients` clients filing
    /// `body` tips to the server at `addr` for [`SLICE_SECONDS`], then the raw limit with the
    /// server's checkpointing writing as many tips (within as many seconds) into a file in
    /// `dir`, the same file from pair to pair: before every pair both databases hold the same
    /// number of tips (the server's has the warm-up's too), as a b-tree's cost grows with its
    /// size (a fresh raw file per pair would hold a growing database against an empty one).
    pub async fn measure(
        addr: SocketAddr,
        clients: usize,
        dir: &Path,
        body: fn(u64) -> String,
    ) -> anyhow::Result<Pairs> {
        let mut run = Pairs { clients, pairs: Vec::with_capacity(MOST_PAIRS) };
        for i in 0..MOST_PAIRS {
            if run.counting().count() == PAIRS {
                break;
            }
            let ready = intake::connect_clients(addr, clients, body).await?;
            let stolen0 = serve::stolen_seconds();
            let start = Instant::now();
            let outcome = ready.go(start + Duration::from_secs_f64(SLICE_SECONDS)).finish().await?;
            let seconds = start.elapsed().as_secs_f64();
            let intake_stolen = serve::cores(stolen0, serve::stolen_seconds(), seconds);
            tokio::time::sleep(PAUSE).await;
            let (folder, filed) = (dir.to_owned(), outcome.ms.len() as u64);
            let limit = tokio::task::spawn_blocking(move || {
                raw::raw_limit(&folder, RAW_BATCH, SLICE_SECONDS, filed, Checkpoints::Beside)
            })
            .await??;
            tokio::time::sleep(PAUSE).await;
            let pair = Pair {
                intake: outcome.ms.len() as f64 / seconds,
                intake_stolen,
                errors: outcome.errors,
                raw: limit.per_second(),
                raw_stolen: limit.stolen,
            };
            eprintln!(
                "load: pair {}: intake {:.0} tips/s ({:.2} stolen), raw {:.0} tips/s ({:.2} stolen): {:.1} %",
                i + 1,
                pair.intake,
                pair.intake_stolen,
                pair.raw,
                pair.raw_stolen,
                pair.share()
            );
            run.pairs.push(pair);
        }
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(intake: f64, raw: f64, stolen: f64) -> Pair {
        Pair { intake, intake_stolen: stolen, errors: 0, raw, raw_stolen: 0.0 }
    }

    #[test]
    fn the_median_counts_only_undisturbed_pairs_and_needs_three() {
        let check = |pairs: Vec<Pair>, expected: Option<f64>| {
            assert_eq!(Pairs { clients: 64, pairs }.median_share(), expected);
        };
        // 50, 60, 70 % undisturbed; the 200 % pair had the host take 0.5 cores.
        check(
            vec![pair(50.0, 100.0, 0.0), pair(200.0, 100.0, 0.5), pair(70.0, 100.0, 0.05), pair(60.0, 100.0, 0.0)],
            Some(60.0),
        );
        check(
            vec![pair(50.0, 100.0, 0.0), pair(70.0, 100.0, 0.0), pair(55.0, 100.0, 0.0), pair(65.0, 100.0, 0.0)],
            Some(60.0),
        );
        check(vec![pair(50.0, 100.0, 0.0), pair(70.0, 100.0, 0.0), pair(90.0, 100.0, 0.3)], None);
        check(vec![pair(61.0, 100.0, f64::NAN), pair(62.0, 100.0, f64::NAN), pair(63.0, 100.0, f64::NAN)], Some(62.0));
    }

    #[test]
    fn a_pair_with_failed_requests_or_nothing_written_does_not_count() {
        let failed = Pair { errors: 3, ..pair(60.0, 100.0, 0.0) };
        assert!(failed.undisturbed() && !failed.counts());
        let nothing = pair(0.0, 0.0, 0.0);
        assert!(!nothing.counts());
        assert_eq!(nothing.share(), 0.0, "no NaN in the table");
        let pairs = Pairs { clients: 64, pairs: vec![failed, nothing, pair(61.0, 100.0, 0.0), pair(62.0, 100.0, 0.0)] };
        assert_eq!(pairs.median_share(), None, "two pairs count, three are needed");
    }
}
