//! The shapes the API returns and the pages show, written once: pages use these, never `api`.
//! Domain types are not `Serialize`; these are the web layer's own, converted in one place.

pub mod link;
pub mod request;
pub mod tip;

/// RFC 3339 in UTC, to the millisecond.
pub fn rfc3339(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
