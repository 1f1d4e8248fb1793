//! Secrets at rest and in hand: the instance key and keyed hashes, the wrapping keys and
//! sealing of what is about a person, passwords, tokens and the second factor.
//!
//! No IO but the key files in the data folder, no database, no HTTP: the app, the CLI and the
//! web layer all use it, and it depends on no crate of ours.
//!
//! # Layout
//! - [`secrets`]: the instance key, keyed hashes, tokens, references, passphrases, Argon2id.
//! - [`crypto`]: the wrapping keyring and per-tip sealing (XChaCha20-Poly1305).
//! - [`mfa`]: TOTP secrets, codes and recovery codes.
//! - [`same_secret`]: the one way to compare secrets.

pub mod crypto;
pub mod folder;
pub mod mfa;
pub mod notary;
pub mod secrets;

pub use crypto::{Key, Keyring};
pub use secrets::Secrets;

/// Whether two secrets (tokens, hashes, CSRF values) are equal, in time that does not depend
/// on where they first differ. `==` on a secret leaks its prefix through timing.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_secret_compares_whole_values() {
        assert!(super::same_secret(b"abc", b"abc"));
        assert!(!super::same_secret(b"abc", b"abd"));
        assert!(!super::same_secret(b"abc", b"ab"), "a prefix is not the secret");
        assert!(super::same_secret(b"", b""));
    }
}
