//! The shapes the API returns and the pages show, written once: pages use these, never `api`.
//! Domain types are not `Serialize`; these are the web layer's own, converted in one place.

pub mod link;
pub mod request;
pub mod tip;

/// RFC 3339 in UTC, to the millisecond (the milliseconds themselves past the year 9999).
pub fn rfc3339(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| ms.to_string())
}

/// JSON this server stored itself (an audit event's detail, a link's explanation), read back.
/// Text that does not parse is shown as the text it is, and logged: a person still sees it.
pub fn stored_json(what: &str, text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| {
        tracing::error!(what, error = %e, "stored JSON does not parse; shown as text");
        serde_json::Value::String(text.to_owned())
    })
}
