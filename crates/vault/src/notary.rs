//! Signed checkpoints of the audit chain's head: the instance signs (ed25519) how long its
//! chain is and how it ends, and appends the signature to a log beside the data. An auditor who
//! keeps copies elsewhere can later prove the chain was not rewritten or cut back behind any of
//! them, even by someone who could change the database and its head.

use anyhow::Context;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The signing key's file in the data folder (0600).
const KEY_FILE: &str = "audit-signing.key";
/// The append-only log of checkpoints in the data folder.
pub const LOG_FILE: &str = "audit-checkpoints.jsonl";

/// One signed head of the chain, as a line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedCheckpoint {
    /// The last event's number (the chain's length).
    pub seq: i64,
    /// The last event's hash.
    pub hash: String,
    /// Where the keyed chain starts.
    pub keyed_from: i64,
    /// When it was signed (RFC 3339).
    pub at: String,
    /// The signer's public key, hex.
    pub public_key: String,
    /// ed25519 over [`signed_text`], hex.
    pub signature: String,
}

/// The exact bytes signed: versioned, one field a line.
fn signed_text(seq: i64, hash: &str, keyed_from: i64, at: &str) -> String {
    format!("sightline audit checkpoint v1\n{seq}\n{hash}\n{keyed_from}\n{at}\n")
}

impl SignedCheckpoint {
    /// Whether the signature is good under the public key the checkpoint names.
    pub fn check_signature(&self) -> anyhow::Result<()> {
        let key: [u8; 32] = hex::decode(&self.public_key)
            .ok()
            .and_then(|k| k.try_into().ok())
            .context("the public key is not 32 bytes of hex")?;
        let key = VerifyingKey::from_bytes(&key).context("the public key is not an ed25519 key")?;
        let sig: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|s| s.try_into().ok())
            .context("the signature is not 64 bytes of hex")?;
        key.verify(
            signed_text(self.seq, &self.hash, self.keyed_from, &self.at).as_bytes(),
            &Signature::from_bytes(&sig),
        )
        .context("the signature does not match")
    }
}

/// Reads a log of checkpoints (one JSON object a line; blank lines skipped), naming the line
/// at fault.
pub fn parse_log(text: &str) -> anyhow::Result<Vec<SignedCheckpoint>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).with_context(|| format!("checkpoint line {} is not a checkpoint", i + 1)))
        .collect()
}

/// The instance's signer and its log.
#[derive(Clone)]
pub struct Notary {
    key: SigningKey,
    log: PathBuf,
}

impl std::fmt::Debug for Notary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notary").field("public_key", &self.public_key()).finish_non_exhaustive()
    }
}

impl Notary {
    /// Loads the signing key from `data_dir`, creating it (0600) when absent.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Notary> {
        let path = data_dir.join(KEY_FILE);
        if !path.exists() {
            crate::secrets::write_private(&path, hex::encode(crate::crypto::random_key()).as_bytes())?;
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("{} must hold 32 bytes of hex", path.display()))?;
        Ok(Notary { key: SigningKey::from_bytes(&bytes), log: data_dir.join(LOG_FILE) })
    }

    pub fn public_key(&self) -> String {
        hex::encode(self.key.verifying_key().to_bytes())
    }

    /// Signs a head of the chain and appends it to the log (synced before it returns).
    pub fn checkpoint(&self, seq: i64, hash: &str, keyed_from: i64, at: &str) -> anyhow::Result<SignedCheckpoint> {
        let signature = self.key.sign(signed_text(seq, hash, keyed_from, at).as_bytes());
        let signed = SignedCheckpoint {
            seq,
            hash: hash.to_owned(),
            keyed_from,
            at: at.to_owned(),
            public_key: self.public_key(),
            signature: hex::encode(signature.to_bytes()),
        };
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&self.log).with_context(|| format!("opening {}", self.log.display()))?;
        writeln!(file, "{}", serde_json::to_string(&signed)?)?;
        file.sync_all()?;
        Ok(signed)
    }

    /// Every checkpoint in the log, oldest first (none before the first is written).
    pub fn log(&self) -> anyhow::Result<Vec<SignedCheckpoint>> {
        match std::fs::read_to_string(&self.log) {
            Ok(text) => parse_log(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e).with_context(|| format!("reading {}", self.log.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_are_signed_appended_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let notary = Notary::load_or_create(dir.path()).unwrap();
        assert_eq!(Notary::load_or_create(dir.path()).unwrap().public_key(), notary.public_key(), "the key persists");
        let first = notary.checkpoint(10, "ab", 1, "2026-12-02T10:00:00Z").unwrap();
        notary.checkpoint(12, "cd", 1, "2026-12-02T11:00:00Z").unwrap();
        let log = notary.log().unwrap();
        assert_eq!((log.len(), &log[0]), (2, &first));
        assert!(log.iter().all(|c| c.check_signature().is_ok()));
        let mut forged = first.clone();
        forged.seq = 9;
        assert!(forged.check_signature().is_err(), "a changed checkpoint fails its signature");
        assert!(parse_log("{}\n").unwrap_err().to_string().contains("line 1"));
    }
}
