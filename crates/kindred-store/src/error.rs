//! The store's one error type. Messages name the operation, never the SQL text or a member's data;
//! the web layer shows an opaque 500 for everything here except [`Error::HandleTaken`].

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database URL's scheme names no backend Kindred knows.
    #[error("unsupported database url scheme {scheme:?}: use sqlite:// or postgres://")]
    UnsupportedUrl {
        /// The scheme found (at most 20 characters of it).
        scheme: String,
    },
    /// Connecting to the database failed.
    #[error("cannot connect to the {backend} database")]
    Connect {
        /// `sqlite` or `postgres`.
        backend: &'static str,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// Running the migrations failed.
    #[error("cannot migrate the database")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// A statement failed.
    #[error("database error in {op}")]
    Query {
        /// What the store was doing.
        op: &'static str,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// A column could not be read as the expected type.
    #[error("cannot read column {column}")]
    Column {
        /// The column.
        column: &'static str,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// A column held a value outside its vocabulary.
    #[error("unexpected value {value:?} in column {column}")]
    BadValue {
        /// The column.
        column: &'static str,
        /// The value found.
        value: String,
    },
    /// Stored JSON could not be written or read.
    #[error("cannot encode or decode the stored {what}")]
    Json {
        /// Which kind of data.
        what: &'static str,
        /// serde_json's error.
        #[source]
        source: serde_json::Error,
    },
    /// The handle is already in use (compared case-insensitively).
    #[error("handle is already taken")]
    HandleTaken,
}
