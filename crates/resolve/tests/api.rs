//! The online index, explanations, normalisation examples and batch error handling.

mod common;

use expect_test::expect;
use resolve::{OnlineIndex, Record, explain, run_batch};

fn rec(id: &str, first: &str, last: &str, dob: &str, phone: &str) -> Record {
    let f = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Record { first_name: f(first), last_name: f(last), dob: f(dob), phone: f(phone), ..Record::new(id, "test") }
}

#[test]
fn explanation_reads_well() {
    let a = rec("a", "Margaret", "O'Connor", "2007-03-14", "(212) 555-0134");
    let b = rec("b", "Peggy", "Oconnor", "14.03.2007", "312 555 0199");
    let e = explain(&a, &b, &common::model());
    expect![[r#"
        LINKED: match probability 0.9998 (total weight +25.7, prior −13.3)
          date of birth: exact, +14.4 (2007-03-14)
          last name: exact, +8.1 (oconnor)
          first name: nickname, +5.3 (margaret vs peggy)
          phone: different, −2.1 (+12125550134 vs +13125550199)
          e-mail: missing on one side, 0
          handle: missing on one side, 0
          address: missing on one side, 0
          national id: missing on one side, 0
    "#]]
    .assert_eq(&e.to_string());
}

#[test]
fn online_index_ranks_candidates() {
    let mut idx = OnlineIndex::new(common::model());
    assert!(idx.insert(&rec("1", "Robert", "Jones", "1990-02-03", "")));
    assert!(idx.insert(&rec("2", "Bob", "Jones", "02/03/1990", "")));
    assert!(idx.insert(&rec("3", "Roberta", "Jones", "1962-07-01", "")));
    assert!(idx.insert(&rec("4", "Alice", "Brown", "1990-02-03", "")));
    assert!(!idx.insert(&rec("4", "dup", "dup", "", "")));
    let found = idx.query(&rec("q", "Rob", "Jones", "1990-02-03", ""));
    let ids: Vec<&str> = found.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(&ids[..2], &["1", "2"]);
    assert!(found[0].weight >= found[1].weight);
    assert!(found.iter().all(|c| c.id != "4" || c.weight < 0.0));
    assert!(found[0].explanation.linked);
}

/// Keyed blocks find the same candidates, scored the same, as plain ones.
#[test]
fn keyed_blocks_match_as_plain_ones() {
    let records = [
        rec("1", "Robert", "Jones", "1990-02-03", "(212) 555-0134"),
        rec("2", "Bob", "Jones", "02/03/1990", ""),
        rec("3", "Alice", "Brown", "", "212 555 0134"),
        rec("4", "Zed", "Quinn", "1971-01-01", ""),
    ];
    let mut plain = OnlineIndex::new(common::model());
    let mut keyed = OnlineIndex::new(common::model()).with_block_key(&[7; 32]);
    for r in &records {
        plain.insert(r);
        keyed.insert(r);
    }
    let q = rec("q", "Rob", "Jones", "1990-02-03", "2125550134");
    let found = |idx: &OnlineIndex| idx.query(&q).into_iter().map(|c| (c.id, c.weight)).collect::<Vec<_>>();
    assert_eq!(found(&keyed), found(&plain));
    assert_eq!(found(&keyed).len(), 3, "the phone and the name both block; the stranger is not a candidate");
}

#[test]
fn batch_reports_bad_rows() {
    let dir = std::env::temp_dir().join(format!("resolve-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let input = dir.join("records.csv");
    let output = dir.join("clusters.csv");
    std::fs::write(
        &input,
        "record_id,source,first_name,last_name,dob,phone,email,handle,street,city,state,postcode,national_id\n\
         r1,a,Ann,Lee,1990-01-01,,,,,,,,\n\
         r2,a,Anne,Lee,01/01/1990,,,,,,,,\n\
         ,a,No,Id,,,,,,,,,\n\
         r3,a,too,few\n\
         r1,a,Dup,Row,,,,,,,,,\n\
         r4,b,Zed,Zulu,,,,,,,,,\n",
    )
    .expect("write");
    let report = run_batch(&input, &output, false).expect("batch");
    let bad: Vec<String> = report.bad_rows.iter().map(|b| format!("{}: {}", b.line, b.reason)).collect();
    expect![[r#"
        [
            "4: empty record_id",
            "5: 4 columns, expected 13",
            "6: duplicate record_id r1",
        ]
    "#]]
    .assert_debug_eq(&bad);
    let out = std::fs::read_to_string(&output).expect("read");
    assert_eq!(out, "record_id,cluster_id\nr1,r1\nr2,r1\nr4,r4\n");
    std::fs::remove_dir_all(&dir).ok();
}
