//! The batch reader takes any file: good rows resolve, bad rows are reported, nothing panics.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_csv_rows(rows in prop::collection::vec(prop::collection::vec("[^\\n\\r]{0,12}", 0..16), 0..20)) {
        let dir = tempfile_dir();
        let input = dir.join("records.csv");
        let output = dir.join("clusters.csv");
        let mut text = String::from("record_id,source,first_name,last_name,dob,phone,email,handle,street,city,state,postcode,national_id\n");
        for r in &rows {
            text.push_str(&r.join(","));
            text.push('\n');
        }
        std::fs::write(&input, text).unwrap();
        match resolve::run_batch(&input, &output, false) {
            Ok(report) => prop_assert!(report.records + report.bad_rows.len() <= rows.len()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir =
        std::env::temp_dir().join(format!("resolve-csv-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
