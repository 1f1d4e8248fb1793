//! Webhooks out over HTTP(S): the outbox's sender, with rustls (ring), a 10 s timeout and no
//! redirects followed (a receiver cannot bounce a signed notification elsewhere).

use app::outbound::{Webhook, WebhookSender};
use std::time::Duration;

pub struct HttpSender(reqwest::Client);

impl HttpSender {
    pub fn new() -> anyhow::Result<HttpSender> {
        // One TLS crypto provider for the process: ring (no C toolchain, no OpenSSL). A second
        // call finds it installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(HttpSender(client))
    }
}

#[async_trait::async_trait]
impl WebhookSender for HttpSender {
    async fn post(&self, hook: Webhook<'_>) -> Result<u16, String> {
        let sent = self
            .0
            .post(hook.url)
            .header("content-type", "application/json")
            .header("x-sightline-timestamp", hook.timestamp.to_string())
            .header("x-sightline-signature", hook.signature)
            .body(hook.body)
            .send()
            .await;
        sent.map(|r| r.status().as_u16()).map_err(|e| e.to_string())
    }
}
