//! The way out for webhooks: the outbox decides what to send and records the outcome; how the
//! bytes travel (HTTPS, a proxy) is the sender's business, implemented by the web layer.

/// A signed POST to a receiver.
pub struct Webhook<'a> {
    pub url: &'a str,
    /// `X-Sightline-Timestamp`.
    pub timestamp: i64,
    /// `X-Sightline-Signature`, `sha256=<hex>`.
    pub signature: String,
    pub body: String,
}

#[async_trait::async_trait]
pub trait WebhookSender: Send + Sync + 'static {
    /// Posts the webhook: the receiver's status code, or why it could not be reached.
    async fn post(&self, hook: Webhook<'_>) -> Result<u16, String>;
}
