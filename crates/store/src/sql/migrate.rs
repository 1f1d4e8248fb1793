//! Migrations: numbered SQL files per backend, embedded in the binary, applied in order,
//! each in its own transaction and recorded in `schema_migrations`. Files are never edited
//! once shipped; a change is a new file. (sqlx's own migrator needs its macros, which
//! compile every driver twice; this is the twenty lines we need.)

use super::{Backend, SqlStore};
use crate::Result;
use sqlx::Row;

const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_resolution.sql")),
    (3, include_str!("../migrations/sqlite/0003_attachments.sql")),
    (4, include_str!("../migrations/sqlite/0004_security.sql")),
    (5, include_str!("../migrations/sqlite/0005_queue_index.sql")),
    (6, include_str!("../migrations/sqlite/0006_queue_order_index.sql")),
    (7, include_str!("../migrations/sqlite/0007_escalation_due_index.sql")),
    (8, include_str!("../migrations/sqlite/0008_closed_codes.sql")),
    (9, include_str!("../migrations/sqlite/0009_totp_steps.sql")),
    (10, include_str!("../migrations/sqlite/0010_tier_history.sql")),
    (11, include_str!("../migrations/sqlite/0011_keyed_audit_chain.sql")),
    (12, include_str!("../migrations/sqlite/0012_sign_in_per_client.sql")),
    (13, include_str!("../migrations/sqlite/0013_notices_and_first_password.sql")),
    (14, include_str!("../migrations/sqlite/0014_new_information.sql")),
    (15, include_str!("../migrations/sqlite/0015_route_roles.sql")),
    (16, include_str!("../migrations/sqlite/0016_wall_displays.sql")),
];
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_resolution.sql")),
    (3, include_str!("../migrations/postgres/0003_attachments.sql")),
    (4, include_str!("../migrations/postgres/0004_security.sql")),
    (5, include_str!("../migrations/postgres/0005_queue_index.sql")),
    (6, include_str!("../migrations/postgres/0006_queue_order_index.sql")),
    (7, include_str!("../migrations/postgres/0007_escalation_due_index.sql")),
    (8, include_str!("../migrations/postgres/0008_closed_codes.sql")),
    (9, include_str!("../migrations/postgres/0009_totp_steps.sql")),
    (10, include_str!("../migrations/postgres/0010_tier_history.sql")),
    (11, include_str!("../migrations/postgres/0011_keyed_audit_chain.sql")),
    (12, include_str!("../migrations/postgres/0012_sign_in_per_client.sql")),
    (13, include_str!("../migrations/postgres/0013_notices_and_first_password.sql")),
    (14, include_str!("../migrations/postgres/0014_new_information.sql")),
    (15, include_str!("../migrations/postgres/0015_route_roles.sql")),
    (16, include_str!("../migrations/postgres/0016_wall_displays.sql")),
];

impl SqlStore {
    pub(crate) async fn migrate(&self) -> Result<()> {
        use sqlx::Executor;
        let mut conn = self.write.acquire().await?;
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .await?;
        let files = match self.backend {
            Backend::Sqlite => SQLITE,
            Backend::Postgres => POSTGRES,
        };
        drop(conn);
        for (version, text) in files {
            let mut tx = self.begin().await?;
            if self.backend == Backend::Postgres {
                // Two servers starting at once must not both migrate.
                tx.execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE").await?;
            }
            let done = sqlx::query(self.sql("SELECT version FROM schema_migrations WHERE version = $1"))
                .bind(*version)
                .fetch_optional(&mut *tx)
                .await?;
            if done.is_some() {
                tx.commit().await?;
                continue;
            }
            tx.execute(*text).await?;
            sqlx::query(self.sql("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)"))
                .bind(*version)
                .bind(0_i64)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(version, "applied migration");
        }
        let applied: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM schema_migrations").fetch_one(&self.read).await?.try_get("n")?;
        debug_assert!(applied >= files.len() as i64);
        Ok(())
    }
}
