//! Test databases, for this crate's tests and every crate whose tests touch storage: one
//! temporary SQLite file, or one fresh database on the PostgreSQL server that
//! `KINDRED_TEST_POSTGRES_URL` names (`.ci/run` starts one and sets it). Storage tests run against
//! both through [`storage_tests!`](crate::storage_tests).

use std::sync::atomic::{AtomicU64, Ordering};

use rand::Rng;
use sqlx::Executor;
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions};

use crate::{Backend, Store, sqlite_url};

/// The variable naming the PostgreSQL server for tests, e.g.
/// `postgres://kindred:kindred@127.0.0.1:5432/postgres` (a role that may create databases).
pub const POSTGRES_URL_VAR: &str = "KINDRED_TEST_POSTGRES_URL";

/// A database that exists for one test.
pub struct TestDb {
    /// The open store.
    pub store: Store,
    /// Its URL (for starting a server process on the same database).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    drop_database: Option<(String, String)>,
}

static NEXT: AtomicU64 = AtomicU64::new(0);

impl TestDb {
    /// A test database on `backend`.
    ///
    /// # Panics
    /// When the database cannot be made: a storage test without its database must fail, not pass.
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => TestDb::sqlite().await,
            Backend::Postgres => TestDb::postgres().await,
        }
    }

    /// A fresh SQLite file in a temporary directory.
    ///
    /// # Panics
    /// When the temporary directory or the database cannot be made.
    #[allow(clippy::expect_used)]
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = sqlite_url(dir.path());
        let store = Store::open(&url).await.expect("open test sqlite database");
        TestDb {
            store,
            url,
            _dir: Some(dir),
            drop_database: None,
        }
    }

    /// A fresh database on the test PostgreSQL server.
    ///
    /// # Panics
    /// When `KINDRED_TEST_POSTGRES_URL` is not set or the server refuses.
    #[allow(clippy::expect_used, clippy::panic)]
    pub async fn postgres() -> TestDb {
        let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
            panic!(
                "{POSTGRES_URL_VAR} is not set: storage tests run against PostgreSQL too \
                 (`bash .ci/run` starts a server and sets it)"
            );
        };
        sqlx::any::install_default_drivers();
        let name = format!(
            "kindred_test_{}_{}_{:08x}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            rand::thread_rng().r#gen::<u32>()
        );
        let mut admin = connect(&admin_url).await;
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        let url = with_database(&admin_url, &name);
        let store = Store::open(&url).await.expect("open test postgres database");
        TestDb {
            store,
            url,
            _dir: None,
            drop_database: Some((admin_url, name)),
        }
    }

    /// Closes the store and drops a PostgreSQL test database (SQLite files go with the directory).
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = &self.drop_database {
            let mut admin = connect(admin_url).await;
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
        }
    }
}

#[allow(clippy::expect_used)]
async fn connect(url: &str) -> AnyConnection {
    let options: AnyConnectOptions = url.parse().expect("a valid postgres url");
    options
        .connect()
        .await
        .expect("connect to the test postgres server")
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// Defines each named async test function `fn(&Store)` twice: in a `sqlite` module and in a
/// `postgres` module, each on its own fresh database.
#[macro_export]
macro_rules! storage_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::testing::TestDb::new($crate::Backend::Sqlite).await;
                    super::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::testing::TestDb::new($crate::Backend::Postgres).await;
                    super::$name(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_replaced() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/postgres", "x"),
            "postgres://u:p@h:5432/x"
        );
        assert_eq!(
            with_database("postgres://h/postgres?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
