//! The instance secret and everything derived from it: keyed hashes of passphrases, hashes
//! of random tokens, readable references and passphrases, and Argon2id for passwords people
//! choose.
//!
//! The secret is 32 random bytes in `instance.key` in the data folder, created on first start
//! with owner-only permissions. Without it no stored passphrase hash can be checked.

use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Crockford's base32: no I, L, O or U, so it reads aloud and types on a phone keypad.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Clone)]
pub struct Secrets {
    key: [u8; 32],
    /// Wrapping keys for the tips' data keys.
    pub keyring: crate::crypto::Keyring,
    /// The signer of audit checkpoints, when the secrets come from a data folder.
    pub notary: Option<crate::notary::Notary>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(..)")
    }
}

impl Secrets {
    /// Loads `instance.key` from `data_dir`, creating it (mode 0600) when absent.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Secrets> {
        crate::folder::create_private_dir(data_dir)?;
        let path = data_dir.join("instance.key");
        if !path.exists() {
            let mut key = [0u8; 32];
            rand::rng().fill_bytes(&mut key);
            write_private(&path, hex::encode(key).as_bytes())?;
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let bytes = hex::decode(text.trim()).context("instance.key is not hex")?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| anyhow::anyhow!("instance.key must hold 32 bytes"))?;
        Ok(Secrets {
            key,
            keyring: crate::crypto::Keyring::load_or_create(data_dir)?,
            notary: Some(crate::notary::Notary::load_or_create(data_dir)?),
        })
    }

    /// A fixed key, for tests only.
    pub fn from_key(key: [u8; 32]) -> Secrets {
        let mut wrapping = key;
        wrapping[0] ^= 0xA5;
        Secrets { key, keyring: crate::crypto::Keyring::from_key(wrapping), notary: None }
    }

    /// The audit chain's key: derived from the instance key, so it lives outside the database
    /// with it and needs no file of its own.
    pub fn chain_key(&self) -> [u8; 32] {
        self.mac("audit-chain", "v1")
    }

    /// The key the matcher's blocks are hashed under (see `resolve::OnlineIndex::with_block_key`).
    pub fn blocking_key(&self) -> [u8; 32] {
        self.mac("mention-blocking", "v1")
    }

    /// The data key of a tip, unwrapped; `None` for tips stored before encryption.
    pub fn data_key(&self, wrapped: Option<&(String, String)>) -> anyhow::Result<Option<crate::crypto::Key>> {
        wrapped.map(|(id, w)| self.keyring.unwrap(id, w)).transpose()
    }

    /// HMAC-SHA-256 under the instance key, with a purpose label so hashes of one kind can
    /// never be replayed as another.
    pub fn keyed_hash(&self, purpose: &str, value: &str) -> String {
        hex::encode(self.mac(purpose, value))
    }

    fn mac(&self, purpose: &str, value: &str) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The passphrase for a tip filed with an idempotency key: derived, not stored, so a
    /// retried submission gets the same passphrase back without the server keeping it.
    pub fn idempotent_passphrase(&self, idempotency_key: &str) -> String {
        passphrase_from(&self.mac("idempotent-passphrase", idempotency_key))
    }

    /// Signs a webhook body: hex HMAC-SHA-256 over `timestamp.body` under a key derived for
    /// webhooks, so receivers can check both origin and freshness.
    pub fn sign_webhook(&self, timestamp: i64, body: &str) -> String {
        self.keyed_hash("webhook", &format!("{timestamp}.{body}"))
    }
}

pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// SHA-256 of a high-entropy random token (API tokens, sessions): no key needed, since
/// nobody can guess 256 random bits.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A new random bearer token: 256 bits, URL-safe.
pub fn new_token(prefix: &str) -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

fn base32(bytes: &[u8], chars: usize) -> String {
    let mut out = String::with_capacity(chars);
    let mut acc: u64 = 0;
    let mut bits = 0;
    for b in bytes {
        acc = (acc << 8) | u64::from(*b);
        bits += 8;
        while bits >= 5 && out.len() < chars {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    out
}

fn grouped(s: &str, size: usize) -> String {
    s.as_bytes().chunks(size).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// A tip reference: 8 base32 characters (40 bits) in two groups, e.g. `K7QM-2XHD`. It
/// identifies, it does not authorise: the passphrase does.
pub fn new_reference() -> String {
    let mut bytes = [0u8; 5];
    rand::rng().fill_bytes(&mut bytes);
    grouped(&base32(&bytes, 8), 4)
}

/// A passphrase: 20 base32 characters = 100 bits, in five groups of four.
pub fn new_passphrase() -> String {
    let mut bytes = [0u8; 13];
    rand::rng().fill_bytes(&mut bytes);
    passphrase_from(&bytes)
}

fn passphrase_from(bytes: &[u8]) -> String {
    grouped(&base32(bytes, 20), 4)
}

/// Reads what a person typed back into canonical form: case, spaces and dashes do not
/// matter, and the letters people confuse with digits (O, I, L) are read as 0, 1, 1.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// Argon2id for passwords people choose. `fast` lowers the cost for test builds only.
pub fn hash_password(password: &str, fast: bool) -> anyhow::Result<String> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    let argon = if fast {
        argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(1024, 1, 1, None).map_err(|e| anyhow::anyhow!("{e}"))?,
        )
    } else {
        argon2::Argon2::default()
    };
    Ok(argon.hash_password(password.as_bytes(), &salt).map_err(|e| anyhow::anyhow!("{e}"))?.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        let p = new_passphrase();
        assert_eq!(p.len(), 24, "{p}");
        assert_eq!(normalise_code(&p.to_lowercase().replace('-', " ")), p.replace('-', ""));
        assert_eq!(normalise_code("k7qm-2xhd"), "K7QM2XHD");
        assert_eq!(normalise_code("O1L"), "011");
        let r = new_reference();
        assert_eq!(r.len(), 9);
    }

    #[test]
    fn keyed_hashes_depend_on_key_and_purpose() {
        let a = Secrets::from_key([1; 32]);
        let b = Secrets::from_key([2; 32]);
        assert_ne!(a.keyed_hash("p", "x"), b.keyed_hash("p", "x"));
        assert_ne!(a.keyed_hash("p", "x"), a.keyed_hash("q", "x"));
        assert_eq!(a.idempotent_passphrase("k"), a.idempotent_passphrase("k"));
        assert_ne!(a.idempotent_passphrase("k"), a.idempotent_passphrase("k2"));
    }

    #[test]
    fn passwords() {
        let h = hash_password("correct horse battery", true).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
    }
}
