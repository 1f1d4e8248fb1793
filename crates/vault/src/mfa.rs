//! The second factor: TOTP (RFC 6238) secrets shown as a QR code, codes checked against the
//! server's clock, and single-use recovery codes stored only as hashes.

use crate::crypto::Keyring;
use base64::Engine;
use totp_rs::{Algorithm, TOTP};

/// A new 256-bit TOTP secret.
pub fn new_secret() -> [u8; 32] {
    crate::crypto::random_key()
}

fn totp(secret: &[u8], email: &str) -> anyhow::Result<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret.to_vec(), Some("Sightline".into()), email.to_owned())
        .map_err(|e| anyhow::anyhow!("TOTP: {e}"))
}

/// The `otpauth://` URL an authenticator app scans.
pub fn otpauth_url(secret: &[u8], email: &str) -> anyhow::Result<String> {
    Ok(totp(secret, email)?.get_url())
}

/// The secret in base32, for typing into an app by hand.
pub fn secret_text(secret: &[u8]) -> String {
    totp_rs::Secret::Raw(secret.to_vec()).to_encoded().to_string()
}

/// The secret back from its base32 text (what a person types into an app).
pub fn secret_from_text(text: &str) -> Option<Vec<u8>> {
    totp_rs::Secret::Encoded(text.trim().to_owned()).to_bytes().ok()
}

/// The QR code of the URL as an SVG image, in a `data:` URL (allowed by the CSP, no script).
pub fn qr_data_url(url: &str) -> anyhow::Result<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| anyhow::anyhow!("QR: {e}"))?;
    let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).build();
    Ok(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg)))
}

/// The time step `code` belongs to, when it is valid at `unix_seconds` (one step of drift
/// either way). The caller refuses a step at or before the last one accepted: that is a replay.
pub fn matching_step(secret: &[u8], email: &str, code: &str, unix_seconds: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    let totp = totp(secret, email).ok()?;
    let now = unix_seconds / totp.step;
    // Oldest first, and every candidate compared, so timing says nothing of which matched.
    let mut found = None;
    for step in [now.saturating_sub(1), now, now + 1] {
        let expected = totp.generate(step * totp.step);
        if crate::same_secret(expected.as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// The code valid at `unix_seconds` (for tests and for showing nothing else).
pub fn code_at(secret: &[u8], email: &str, unix_seconds: u64) -> String {
    totp(secret, email).expect("the TOTP parameters are fixed and valid").generate(unix_seconds)
}

/// The secret as stored: wrapped by the instance key, "key_id:wrapped".
pub fn seal_secret(ring: &Keyring, secret: &[u8; 32]) -> String {
    let (id, wrapped) = ring.wrap(secret);
    format!("{id}:{wrapped}")
}

pub fn open_secret(ring: &Keyring, stored: &str) -> anyhow::Result<[u8; 32]> {
    let (id, wrapped) = stored.split_once(':').ok_or_else(|| anyhow::anyhow!("stored TOTP secret is malformed"))?;
    ring.unwrap(id, wrapped)
}

/// Ten recovery codes (50 bits each), shown once; the hashes are what is stored.
pub fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = (0..10)
        .map(|_| {
            crate::secrets::new_reference().replace('-', "").to_lowercase()
                + &crate::secrets::new_reference()[..2].to_lowercase()
        })
        .collect();
    let hashes = codes.iter().map(|c| crate::secrets::token_hash(&normalise(c))).collect();
    (codes, hashes)
}

pub fn normalise(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_check_and_qr_renders() {
        let secret = new_secret();
        let now = 1_790_000_000;
        let code = code_at(&secret, "lee@x.test", now);
        let step = now / 30;
        assert_eq!(matching_step(&secret, "lee@x.test", &code, now), Some(step));
        assert_eq!(matching_step(&secret, "lee@x.test", &code, now + 30), Some(step), "one step of drift");
        assert_eq!(matching_step(&secret, "lee@x.test", &code, now + 120), None);
        let later = code_at(&secret, "lee@x.test", now + 300);
        if later != code {
            assert_eq!(matching_step(&secret, "lee@x.test", &later, now), None, "a code of another step");
        }
        let url = otpauth_url(&secret, "lee@x.test").unwrap();
        assert!(url.starts_with("otpauth://totp/Sightline:lee%40x.test?"), "{url}");
        assert!(qr_data_url(&url).unwrap().starts_with("data:image/svg+xml;base64,"));
        let ring = Keyring::from_key([3; 32]);
        assert_eq!(open_secret(&ring, &seal_secret(&ring, &secret)).unwrap(), secret);
        let (codes, hashes) = recovery_codes();
        assert_eq!((codes.len(), hashes.len()), (10, 10));
    }
}
