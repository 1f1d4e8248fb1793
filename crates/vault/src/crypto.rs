//! Encryption at rest. Every tip has its own random data key; tipster contact details,
//! messages and attachments are sealed with it (XChaCha20-Poly1305, the tip's reference and the field
//! bound in as associated data, so a ciphertext cannot be moved to another tip or field).
//! Data keys are stored only wrapped by the instance's wrapping key, kept in `wrapping.key` in
//! the data folder (owner-only). A copy of the database without that file reveals none of it.
//!
//! `sightline keys rotate` re-wraps every data key under a new wrapping key; each wrapped key
//! names the wrapping key it is under, so a rotation interrupted half-way is still readable.

use anyhow::{Context, anyhow};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A 256-bit key.
pub type Key = [u8; 32];

/// Marks sealed text, so text stored before encryption existed still reads.
const TEXT_PREFIX: &str = "sl1:";
/// Marks sealed bytes.
const BYTES_PREFIX: &[u8] = b"SL1\0";

/// The wrapping keys this server holds: the current one and any older ones still needed.
#[derive(Clone)]
pub struct Keyring {
    current: (String, Key),
    older: Vec<(String, Key)>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keyring({})", self.current.0)
    }
}

pub fn key_id(key: &Key) -> String {
    hex::encode(&Sha256::digest(key)[..8])
}

pub fn random_key() -> Key {
    let mut k = [0u8; 32];
    rand::rng().fill_bytes(&mut k);
    k
}

fn read_key(path: &Path) -> anyhow::Result<Key> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let bytes = hex::decode(text.trim()).with_context(|| format!("{} is not hex", path.display()))?;
    bytes.try_into().map_err(|_| anyhow!("{} must hold 32 bytes", path.display()))
}

pub fn write_key(path: &Path, key: &Key) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).with_context(|| format!("writing {}", path.display()))?;
    f.write_all(hex::encode(key).as_bytes())?;
    f.sync_all()?;
    Ok(())
}

pub const WRAPPING_FILE: &str = "wrapping.key";
pub const NEXT_FILE: &str = "wrapping.key.next";
pub const OLD_FILE: &str = "wrapping.key.old";

impl Keyring {
    /// Loads the wrapping key from `data_dir`, creating it (mode 0600) on first start. A key
    /// left by an interrupted rotation is held too, so every data key stays readable.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Keyring> {
        let path = data_dir.join(WRAPPING_FILE);
        if !path.exists() {
            write_key(&path, &random_key())?;
        }
        let current = read_key(&path)?;
        // Keys of an interrupted or recent rotation stay loadable, so no data key is stranded.
        let mut older = Vec::new();
        for file in [NEXT_FILE, OLD_FILE] {
            let p = data_dir.join(file);
            if p.exists() {
                let k = read_key(&p)?;
                older.push((key_id(&k), k));
            }
        }
        Ok(Keyring { current: (key_id(&current), current), older })
    }

    pub fn from_key(key: Key) -> Keyring {
        Keyring { current: (key_id(&key), key), older: Vec::new() }
    }

    /// Adds a key that older wrapped keys may be under.
    pub fn with_older(mut self, key: Key) -> Keyring {
        self.older.push((key_id(&key), key));
        self
    }

    pub fn current_id(&self) -> &str {
        &self.current.0
    }

    /// Wraps a data key under the current wrapping key: (key id, wrapped).
    pub fn wrap(&self, data_key: &Key) -> (String, String) {
        let sealed = seal_raw(&self.current.1, data_key, b"data-key");
        (self.current.0.clone(), B64.encode(sealed))
    }

    pub fn unwrap(&self, key_id: &str, wrapped: &str) -> anyhow::Result<Key> {
        let wrapping = std::iter::once(&self.current)
            .chain(self.older.iter())
            .find(|(id, _)| id == key_id)
            .ok_or_else(|| anyhow!("the wrapping key {key_id} is not in this server's key file"))?;
        let bytes = B64.decode(wrapped).context("wrapped key is not base64")?;
        let plain = open_raw(&wrapping.1, &bytes, b"data-key")?;
        plain.try_into().map_err(|_| anyhow!("a data key must be 32 bytes"))
    }
}

fn seal_raw(key: &Key, plain: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad })
        .expect("encryption of in-memory data does not fail");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    out
}

fn open_raw(key: &Key, sealed: &[u8], aad: &[u8]) -> anyhow::Result<Vec<u8>> {
    if sealed.len() < 24 {
        return Err(anyhow!("sealed data too short"));
    }
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt(XNonce::from_slice(&sealed[..24]), Payload { msg: &sealed[24..], aad })
        .map_err(|_| anyhow!("cannot decrypt: wrong key, or the data was altered"))
}

/// Associated data: the tip's reference (fixed at intake, unique) and the field.
fn aad(tip_ref: &str, field: &str) -> Vec<u8> {
    format!("tip:{tip_ref}:{field}").into_bytes()
}

/// Seals text for a tip's field.
pub fn seal_text(data_key: &Key, tip_ref: &str, field: &str, plain: &str) -> String {
    format!("{TEXT_PREFIX}{}", B64.encode(seal_raw(data_key, plain.as_bytes(), &aad(tip_ref, field))))
}

/// Opens text sealed by [`seal_text`]; text stored unsealed is returned as it is.
pub fn open_text(data_key: Option<&Key>, tip_ref: &str, field: &str, stored: &str) -> anyhow::Result<String> {
    let Some(b64) = stored.strip_prefix(TEXT_PREFIX) else { return Ok(stored.to_owned()) };
    let key = data_key.ok_or_else(|| anyhow!("sealed text but no data key"))?;
    let bytes = B64.decode(b64).context("sealed text is not base64")?;
    String::from_utf8(open_raw(key, &bytes, &aad(tip_ref, field))?).context("sealed text is not UTF-8")
}

pub fn seal_bytes(data_key: &Key, tip_ref: &str, field: &str, plain: &[u8]) -> Vec<u8> {
    let mut out = BYTES_PREFIX.to_vec();
    out.extend_from_slice(&seal_raw(data_key, plain, &aad(tip_ref, field)));
    out
}

pub fn open_bytes(data_key: Option<&Key>, tip_ref: &str, field: &str, stored: &[u8]) -> anyhow::Result<Vec<u8>> {
    let Some(sealed) = stored.strip_prefix(BYTES_PREFIX) else { return Ok(stored.to_vec()) };
    let key = data_key.ok_or_else(|| anyhow!("sealed bytes but no data key"))?;
    open_raw(key, sealed, &aad(tip_ref, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_and_refuse_tampering() {
        let ring = Keyring::from_key([1; 32]);
        let dek = random_key();
        let (id, wrapped) = ring.wrap(&dek);
        assert_eq!(ring.unwrap(&id, &wrapped).unwrap(), dek);
        let sealed = seal_text(&dek, "K7QM-2XHD", "contact.email", "parent@example.test");
        assert!(!sealed.contains("parent"));
        assert_eq!(open_text(Some(&dek), "K7QM-2XHD", "contact.email", &sealed).unwrap(), "parent@example.test");
        assert!(open_text(Some(&dek), "OTHR-TIPX", "contact.email", &sealed).is_err(), "bound to its tip");
        assert!(open_text(Some(&dek), "K7QM-2XHD", "message", &sealed).is_err(), "bound to its field");
        assert!(open_text(Some(&random_key()), "K7QM-2XHD", "contact.email", &sealed).is_err(), "needs the right key");
        assert_eq!(open_text(None, "K7QM-2XHD", "x", "plain old text").unwrap(), "plain old text");
        let other = Keyring::from_key([2; 32]);
        assert!(other.unwrap(&id, &wrapped).is_err(), "another server's key file opens nothing");
        let rotated = Keyring::from_key([2; 32]).with_older([1; 32]);
        assert_eq!(rotated.unwrap(&id, &wrapped).unwrap(), dek, "older keys still open during rotation");
        let bytes = seal_bytes(&dek, "K7QM-2XHD", "attachment", b"\xFF\xD8 photo");
        assert_eq!(open_bytes(Some(&dek), "K7QM-2XHD", "attachment", &bytes).unwrap(), b"\xFF\xD8 photo");
    }
}
