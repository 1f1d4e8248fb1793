//! The shapes the API returns and the pages show, written once: pages use these, never `api`.
//! Domain types are not `Serialize`; these are the web layer's own, converted in one place.

pub mod csv;
pub mod link;
pub mod request;
pub mod tip;

/// JSON this server stored itself (an audit event's detail, a link's explanation), read back.
/// Text that does not parse is shown as the text it is, and logged: a person still sees it.
pub fn stored_json(what: &str, text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| {
        tracing::error!(what, error = %e, "stored JSON does not parse; shown as text");
        serde_json::Value::String(text.to_owned())
    })
}
