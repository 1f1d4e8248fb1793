//! `sightline resolve`: batch entity resolution of a CSV file, with the same engine that
//! links tips to people online.

use clap::Args;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Args)]
pub struct ResolveArgs {
    /// CSV with header record_id,source,first_name,last_name,dob,phone,email,handle,street,
    /// city,state,postcode,national_id (any field but record_id may be empty).
    #[arg(long)]
    input: PathBuf,
    /// Where to write record_id,cluster_id for every good input row.
    #[arg(long)]
    output: PathBuf,
}

pub fn run(args: ResolveArgs) -> anyhow::Result<()> {
    let progress = std::io::stderr().is_terminal();
    let report = resolve::run_batch(&args.input, &args.output, progress)
        .map_err(|e| anyhow::anyhow!("resolve {}: {e}", args.input.display()))?;
    for bad in &report.bad_rows {
        eprintln!("skipped line {}: {}", bad.line, bad.reason);
    }
    println!(
        "{} records, {} clusters, {} linked pairs of {} compared; {} bad rows skipped; written to {}",
        report.records,
        report.clusters,
        report.linked_pairs,
        report.candidate_pairs,
        report.bad_rows.len(),
        args.output.display()
    );
    Ok(())
}
