//! Property tests for every parser of outside input on the web edge: whatever arrives, the
//! parser answers with a value or a field-named error, never a panic.

use domain::tip::NewTip;
use proptest::prelude::*;
use serde_json::json;
use web::error::ApiError;
use web::views::request::TipRequest;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        any::<i64>().prop_map(serde_json::Value::from),
        ".{0,40}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("category".to_owned()),
                    Just("narrative".to_owned()),
                    Just("location".to_owned()),
                    Just("subjects".to_owned()),
                    Just("contact".to_owned()),
                    Just("site_id".to_owned()),
                    Just("lat".to_owned()),
                    Just("lon".to_owned()),
                    Just("text".to_owned()),
                    Just("name".to_owned()),
                    Just("age".to_owned()),
                    Just("handles".to_owned()),
                    ".{0,8}".prop_map(|s| s)
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Arbitrary JSON for a tip: parsed, or refused naming a field.
    #[test]
    fn tip_json_never_panics(v in json_value()) {
        let bytes = serde_json::to_vec(&v).unwrap();
        match web::api::json::parse::<TipRequest>(&bytes) {
            Ok(req) => {
                if let Err(e) = NewTip::try_from(req) {
                    prop_assert!(!e.field.is_empty() && !e.reason.is_empty());
                }
            }
            Err(ApiError::Malformed(e)) => prop_assert!(!e.field.is_empty() && !e.reason.is_empty()),
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }

    /// Arbitrary bytes as a body: refused as malformed, never a panic.
    #[test]
    fn any_bytes_as_a_tip_body(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = web::api::json::parse::<TipRequest>(&bytes);
    }

    /// Well-formed tips with arbitrary Unicode text: accepted or refused by field.
    #[test]
    fn tip_text_fields(category in ".{0,20}", narrative in "\\PC{0,200}", name in "\\PC{0,50}", lat in any::<f64>(), lon in any::<f64>()) {
        let body = json!({"category": category, "narrative": narrative, "location": {"lat": lat, "lon": lon}, "subjects": [{"name": name}]});
        let req: TipRequest = serde_json::from_value(body).unwrap();
        if let Ok(tip) = NewTip::try_from(req) {
            prop_assert!(!tip.narrative.as_str().trim().is_empty());
        }
    }
}
