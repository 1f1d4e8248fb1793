//! Data-driven fixtures: records in, expected clusters and link explanations out (expect-test snapshots).

mod common;

use expect_test::{Expect, expect};
use resolve::explain;

/// Resolves the fixture records and checks the clusters and, for every pair
/// inside a cluster, the explanation's headline and strongest reasons.
fn check(records_csv: &str, expected: Expect) {
    let records = common::parse(records_csv);
    let model = common::model();
    let mut out = String::new();
    for c in common::clusters(&records) {
        out.push_str(&format!("cluster: {}\n", c.join(" ")));
        for (i, a) in c.iter().enumerate() {
            for b in &c[i + 1..] {
                let ra = records.iter().find(|r| &r.id == a).expect("a");
                let rb = records.iter().find(|r| &r.id == b).expect("b");
                let e = explain(ra, rb, &model);
                let top: Vec<String> = e
                    .contributions
                    .iter()
                    .filter(|c| c.level != "missing")
                    .take(3)
                    .map(|c| format!("{} {} {:+.1}", c.field.label(), c.level, c.weight))
                    .collect();
                out.push_str(&format!("  {a}~{b} p={:.3}: {}\n", e.probability, top.join("; ")));
            }
        }
    }
    expected.assert_eq(&out);
}

const HEADER: &str =
    "record_id,source,first_name,last_name,dob,phone,email,handle,street,city,state,postcode,national_id\n";

#[test]
fn nickname_and_formats() {
    check(
        &format!(
            "{HEADER}
            a1,hotline,William,Smith,03/14/2007,(212) 555-0134,,,12 Oak Street,New York,NY,10001,
            a2,police,Bill,SMITH,14.03.2007,+1 212 555 0134,,,12 oak st apt 4,new york,ny,10001-1234,
            a3,web,Liam,Smith,2007-03-14,,bill.smith+tips@gmail.com,,,,,,
            a4,web,Wm,Smith,,,billsmith@googlemail.com,@bill_smith,,,,,
            b1,web,Mary,Smith,1980-01-02,(212) 555-0134,,,12 Oak Street,New York,NY,10001,
        "
        ),
        expect![[r#"
            cluster: a1 a2 a3 a4
              a1~a2 p=1.000: phone exact +19.4; address same street address +14.9; date of birth exact +14.4
              a1~a3 p=1.000: date of birth exact +14.4; last name exact +8.1; first name nickname +5.3
              a1~a4 p=0.528: last name exact +8.1; first name nickname +5.3
              a2~a3 p=1.000: date of birth exact +14.4; last name exact +8.1; first name nickname +5.3
              a2~a4 p=0.528: last name exact +8.1; first name nickname +5.3
              a3~a4 p=1.000: e-mail exact +19.5; last name exact +8.1; first name nickname +5.3
            cluster: b1
        "#]],
    );
}

#[test]
// h3 (spouse, shared phone) stays apart; h4 (a junior: same name and address,
// other dob) is a known false link.
fn household_members() {
    check(
        &format!(
            "{HEADER}
            h1,hotline,John,Garcia,1970-05-06,,,,88 Pine Ave,Austin,TX,78701,
            h2,web,John,Garcia,05/06/1970,512-555-0199,,,88 Pine Avenue,Austin,TX,78701,
            h3,web,Maria,Garcia,1972-11-30,512-555-0199,,,88 Pine Avenue,Austin,TX,78701,
            h4,police,John,Garcia,2001-02-03,,,,88 Pine Ave,Austin,TX,78701,
            h5,social,Garcia,Maria,30 Nov 1972,,,,,,,,
        "
        ),
        expect![[r#"
            cluster: h1 h2 h4
              h1~h2 p=1.000: address same street address +14.9; date of birth exact +14.4; last name exact +8.1
              h1~h4 p=0.997: address same street address +14.9; last name exact +8.1; date of birth different by more than 5 years -7.4
              h2~h4 p=0.997: address same street address +14.9; last name exact +8.1; date of birth different by more than 5 years -7.4
            cluster: h3 h5
              h3~h5 p=1.000: date of birth exact +14.4; last name exact +8.1; first name exact +6.3
        "#]],
    );
}

#[test]
fn swapped_names_and_typos() {
    check(
        &format!(
            "{HEADER}
            s1,web,Katherine,Vanderberg,1991-07-08,,,,,,,,
            s2,police,Vanderberg,Katherine,19910708,,,,,,,,
            s3,hotline,Kathryn,Vandenberg,07/08/1991,,,,,,,,
            s4,hotline,Catherine,Vandenberg,1991,,,,,,,,
        "
        ),
        expect![[r#"
            cluster: s1 s2 s3
              s1~s2 p=1.000: date of birth exact +14.4; last name exact +8.1; first name exact +6.3
              s1~s3 p=0.999: date of birth exact +14.4; first name nickname +5.3; last name similar spelling +3.6
              s2~s3 p=0.003: date of birth exact +14.4; first name different -5.0; last name different -4.4
            cluster: s4
        "#]],
    );
}
