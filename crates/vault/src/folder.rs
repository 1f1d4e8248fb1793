//! The data folder holds the database and the keys: only its owner may read it. It is
//! created 0700, its files 0600, and a folder that others can read or enter is refused unless
//! the operator says the sharing is intended.

use anyhow::Context;
use std::path::Path;

/// The database files SQLite keeps in the folder (the write-ahead log and its index take the
/// database file's mode when SQLite creates them).
const DATABASE_FILES: [&str; 3] = ["sightline.db", "sightline.db-wal", "sightline.db-shm"];

/// Creates `dir` (0700) when missing, or makes it 0700 when it is empty; refuses it when it
/// holds something and its group or others have any access, unless `allow_shared`; makes the database files that exist private (0600), and creates the
/// database file 0600 when it is missing so what SQLite adds beside it is private too.
pub fn prepare(dir: &Path, allow_shared: bool) -> anyhow::Result<()> {
    create_private_dir(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut mode =
            std::fs::metadata(dir).with_context(|| format!("reading {}", dir.display()))?.permissions().mode();
        let empty = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?.next().is_none();
        if mode & 0o077 != 0 && empty && !allow_shared {
            // A folder just made for us (`mkdir` gives 0755) holds nothing yet: made private
            // as if we had created it.
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("making {} private", dir.display()))?;
            mode = 0o700;
        }
        if mode & 0o077 != 0 && !allow_shared {
            anyhow::bail!(
                "the data folder {} can be read or entered by other users (mode {:o}); make it private \
                 with `chmod 700 {}`, or start with --allow-shared-data-folder if that is intended",
                dir.display(),
                mode & 0o777,
                dir.display()
            );
        }
        for name in DATABASE_FILES {
            let path = dir.join(name);
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    .with_context(|| format!("making {} private", path.display()))?;
            }
        }
        let db = dir.join(DATABASE_FILES[0]);
        if !db.exists() {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(&db)
                .with_context(|| format!("creating {}", db.display()))?;
        }
    }
    Ok(())
}

/// Creates `dir` and its missing parents, the new ones 0700.
pub(crate) fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).with_context(|| format!("creating {}", dir.display()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn private_folder_and_files() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("new/data");
        prepare(&dir, false).unwrap();
        assert_eq!((mode(&dir), mode(&dir.join("sightline.db"))), (0o700, 0o600));

        let empty = base.path().join("made-by-mkdir");
        std::fs::create_dir(&empty).unwrap();
        std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o755)).unwrap();
        prepare(&empty, false).unwrap();
        assert_eq!(mode(&empty), 0o700, "an empty folder is made private");

        let shared = base.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(shared.join("sightline.db-wal"), b"").unwrap();
        std::fs::set_permissions(shared.join("sightline.db-wal"), std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = prepare(&shared, false).unwrap_err().to_string();
        assert!(refused.contains("--allow-shared-data-folder"), "{refused}");
        assert_eq!(mode(&shared.join("sightline.db-wal")), 0o644, "nothing changed when refused");
        prepare(&shared, true).unwrap();
        assert_eq!(mode(&shared.join("sightline.db-wal")), 0o600, "files private even in a shared folder");
    }
}
