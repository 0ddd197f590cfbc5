//! TEMPORARY STUB by the lead so the crate compiles; helper-1 replaces this whole file.
use crate::error::Result;
/// stub
pub struct MongoStore;
impl MongoStore {
    /// stub
    pub async fn connect(_uri: &str, _db: &str) -> Result<super::sqlite::SqliteStore> {
        Err(crate::error::Error::Internal)
    }
}
