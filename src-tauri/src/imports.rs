//! Files chosen for CSV import, held in the app between the wizard's steps.
//!
//! The webview never reads files: `import_open` reads the chosen file here
//! and hands the UI an opaque random `fileId`. Each file belongs to the user
//! who opened it; at most [`MAX_PENDING`] are kept (the oldest make way).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;

use finance_core::Id;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// The largest file the importer accepts.
pub const MAX_IMPORT_BYTES: u64 = 100 * 1024 * 1024;

/// How many opened files are kept at once.
pub const MAX_PENDING: usize = 2;

struct Pending {
    owner: Id,
    name: String,
    bytes: Arc<Vec<u8>>,
    opened: u64,
}

/// The opened files by id.
#[derive(Default)]
pub struct PendingImports {
    files: Mutex<HashMap<String, Pending>>,
    counter: std::sync::atomic::AtomicU64,
}

/// A random, unguessable file id (128 bits, hex).
pub fn new_file_id() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The error for an unknown, expired or someone else's file id.
pub fn unknown_file() -> ApiError {
    ApiError {
        code: ErrorCode::NotFound,
        message: "the file is no longer open; choose it again".into(),
        field: Some("fileId".into()),
        retry_after_secs: None,
    }
}

fn file_error(message: String) -> ApiError {
    ApiError {
        code: ErrorCode::Validation,
        message,
        field: Some("file".into()),
        retry_after_secs: None,
    }
}

/// Read a chosen file: its display name and bytes. Refuses files over [`MAX_IMPORT_BYTES`].
pub fn read_file(path: &Path) -> ApiResult<(String, Vec<u8>)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file.csv".into());
    let too_big = || {
        file_error(format!(
            "{name} is larger than {} MB; split it into smaller files",
            MAX_IMPORT_BYTES / (1024 * 1024)
        ))
    };
    let file = std::fs::File::open(path)
        .map_err(|e| file_error(format!("cannot open {name}: {}", io_reason(&e))))?;
    let size = file
        .metadata()
        .map_err(|e| file_error(format!("cannot read {name}: {}", io_reason(&e))))?
        .len();
    if size > MAX_IMPORT_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Read at most one byte past the limit: a file that grew meanwhile is still refused.
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| file_error(format!("cannot read {name}: {}", io_reason(&e))))?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(too_big());
    }
    Ok((name, bytes))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

impl PendingImports {
    /// Keep a file for `owner`; returns its id.
    pub fn insert(&self, owner: Id, name: String, bytes: Vec<u8>) -> String {
        let id = new_file_id();
        let opened = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        while files.len() >= MAX_PENDING {
            let Some(oldest) = files
                .iter()
                .min_by_key(|(_, p)| p.opened)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            files.remove(&oldest);
        }
        files.insert(
            id.clone(),
            Pending {
                owner,
                name,
                bytes: Arc::new(bytes),
                opened,
            },
        );
        id
    }

    /// The name and bytes of `owner`'s file `id`.
    pub fn get(&self, owner: Id, id: &str) -> ApiResult<(String, Arc<Vec<u8>>)> {
        let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        match files.get(id) {
            Some(p) if p.owner == owner => Ok((p.name.clone(), p.bytes.clone())),
            _ => Err(unknown_file()),
        }
    }

    /// Forget `owner`'s file `id` (no error when it is already gone).
    pub fn remove(&self, owner: Id, id: &str) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if files.get(id).is_some_and(|p| p.owner == owner) {
            files.remove(id);
        }
    }

    /// Forget every file (sign-out).
    pub fn clear(&self) {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_belong_to_their_owner_and_the_oldest_make_way() {
        let p = PendingImports::default();
        let (ann, bob) = (Id::generate(), Id::generate());
        let a = p.insert(ann, "a.csv".into(), b"x".to_vec());
        assert_eq!(a.len(), 32);
        assert_eq!(p.get(ann, &a).unwrap().0, "a.csv");
        assert_eq!(p.get(bob, &a).unwrap_err().code, ErrorCode::NotFound);
        let b = p.insert(ann, "b.csv".into(), vec![]);
        let c = p.insert(ann, "c.csv".into(), vec![]);
        assert!(p.get(ann, &a).is_err(), "evicted");
        assert!(p.get(ann, &b).is_ok() && p.get(ann, &c).is_ok());
        p.remove(bob, &b);
        assert!(p.get(ann, &b).is_ok(), "only the owner removes");
        p.remove(ann, &b);
        assert_eq!(p.get(ann, &b).unwrap_err().field.as_deref(), Some("fileId"));
    }

    #[test]
    fn read_file_names_the_problem() {
        let dir = std::env::temp_dir().join(format!("finance-import-{}", new_file_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("t.csv");
        std::fs::write(&f, "a,b\n1,2\n").unwrap();
        assert_eq!(
            read_file(&f).unwrap(),
            ("t.csv".into(), b"a,b\n1,2\n".to_vec())
        );
        let e = read_file(&dir.join("missing.csv")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("file"));
        assert!(e.message.contains("does not exist"), "{}", e.message);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
