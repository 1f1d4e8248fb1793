//! Property tests: match weights are symmetric; clustering does not depend on input order.

mod common;

use proptest::prelude::*;
use resolve::{Record, compare};

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.8, prop::sample::select(options).prop_map(str::to_owned))
}

fn record() -> impl Strategy<Value = Record> {
    (
        pick(&["William", "Bill", "Wm", "Liam", "Mary", "Maria", "J.", "Jose", "Pepe", "Smith"]),
        pick(&["Smith", "Smyth", "Garcia", "Garsia", "O'Brien", "Obrien", "Mary"]),
        pick(&["2007-03-14", "03/14/2007", "14/03/2007", "2007", "age 17", "1980-01-02", "02/01/1980", "2008-03-14"]),
        pick(&["212-555-0134", "555-0134", "+1 212 555 0143", "(312) 555-0134"]),
        pick(&["b.smith+x@gmail.com", "bsmith@gmail.com", "bsmith@yahoo.com", "bsmith@yaho.com"]),
        pick(&["@b_smith", "bsmith1", "instagram.com/bsmith", "msmith"]),
        pick(&["12 Oak Street", "12 oak st apt 4", "21 Oak St", "3 Elm Rd"]),
        pick(&["New York", "new york", "Newark"]),
        pick(&["10001", "10001-1234", "10010"]),
    )
        .prop_map(|(f, l, d, p, e, h, s, c, z)| Record {
            first_name: f,
            last_name: l,
            dob: d,
            phone: p,
            email: e,
            handle: h,
            street: s,
            city: c,
            postcode: z,
            ..Record::default()
        })
}

proptest! {
    #[test]
    fn weight_is_symmetric(a in record(), b in record()) {
        let m = common::model();
        let n = m.normalizer;
        let (x, y) = (a.normalise(&n), b.normalise(&n));
        prop_assert_eq!(compare(&x, &y), compare(&y, &x));
        let (w1, w2) = (m.score(&x, &y).1, m.score(&y, &x).1);
        prop_assert_eq!(w1.to_bits(), w2.to_bits());
    }

    #[test]
    fn clustering_ignores_input_order(recs in prop::collection::vec(record(), 2..25), seed in any::<u64>()) {
        let recs: Vec<Record> = recs.into_iter().enumerate().map(|(i, mut r)| { r.id = format!("r{i:02}"); r }).collect();
        let mut shuffled = recs.clone();
        // deterministic Fisher–Yates from the seed
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(common::clusters(&recs), common::clusters(&shuffled));
    }
}
