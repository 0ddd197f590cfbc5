//! Writing a backup file: members one after the other, each record a JSON
//! line, hashed (SHA-256 of the plain bytes) and counted as it goes, sealed
//! when the file is encrypted; `manifest.json` last, when every checksum is
//! known. Nothing is held but the record being written (and, encrypted, one
//! 64 KiB chunk), so memory does not grow with the number of records.

use std::io::{Seek, Write};

use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use super::crypt::{Key, Sealer, hex_encode, new_encryption};
use super::format::{EncryptionV1, FORMAT_NAME, ManifestV1, MemberV1, ProfileV1};
use super::{ENCRYPTION, FORMAT_VERSION, MANIFEST};
use crate::error::{Error, Result};

fn io_error(e: impl std::fmt::Display) -> Error {
    Error::internal("backup write", e)
}

/// A member being written.
struct Open {
    name: &'static str,
    hash: Sha256,
    records: u64,
    sealer: Option<Sealer>,
}

/// A backup file being written (see the module docs of [`crate::backup`]).
pub struct Writer<W: Write + Seek> {
    zip: ZipWriter<W>,
    key: Option<Key>,
    members: Vec<MemberV1>,
    open: Option<Open>,
    line: Vec<u8>,
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // Zip64 when a member passes 4 GiB (1M transactions are ~300 MB).
        .large_file(true)
}

impl<W: Write + Seek> Writer<W> {
    /// Start a file on `out`; with a passphrase every member is sealed with
    /// a key derived from it (`encryption.json` says how).
    pub fn new(out: W, passphrase: Option<&str>) -> Result<Writer<W>> {
        Self::with_encryption(out, passphrase.map(|p| (p, new_encryption())))
    }

    /// [`Writer::new`] with given key-derivation parameters (tests use cheap ones).
    pub fn with_encryption(out: W, encryption: Option<(&str, EncryptionV1)>) -> Result<Writer<W>> {
        let mut zip = ZipWriter::new(out);
        let key = match encryption {
            Some((passphrase, enc)) => {
                let key = Key::derive(passphrase, &enc)?;
                zip.start_file(ENCRYPTION, options()).map_err(io_error)?;
                serde_json::to_writer(&mut zip, &enc).map_err(io_error)?;
                Some(key)
            }
            None => None,
        };
        Ok(Writer {
            zip,
            key,
            members: Vec::new(),
            open: None,
            line: Vec::with_capacity(512),
        })
    }

    /// Begin the member `name` (one of [`super::MEMBERS`]); ends the open one.
    pub fn begin(&mut self, name: &'static str) -> Result<()> {
        self.end()?;
        self.zip.start_file(name, options()).map_err(io_error)?;
        let sealer = match &self.key {
            Some(_) => Some(Sealer::start(&mut self.zip).map_err(io_error)?),
            None => None,
        };
        self.open = Some(Open {
            name,
            hash: Sha256::new(),
            records: 0,
            sealer,
        });
        Ok(())
    }

    /// Append one record to the open member.
    pub fn record<T: Serialize>(&mut self, record: &T) -> Result<()> {
        let open = self
            .open
            .as_mut()
            .ok_or_else(|| Error::internal("backup write", "a record outside a member"))?;
        self.line.clear();
        serde_json::to_writer(&mut self.line, record).map_err(io_error)?;
        self.line.push(b'\n');
        open.hash.update(&self.line);
        open.records += 1;
        match (&mut open.sealer, &self.key) {
            (Some(sealer), Some(key)) => sealer
                .write(key, &mut self.zip, &self.line)
                .map_err(io_error)?,
            _ => self.zip.write_all(&self.line).map_err(io_error)?,
        }
        Ok(())
    }

    /// Write a whole member.
    pub fn member<'a, T: Serialize + 'a>(
        &mut self,
        name: &'static str,
        records: impl IntoIterator<Item = &'a T>,
    ) -> Result<()> {
        self.begin(name)?;
        for r in records {
            self.record(r)?;
        }
        self.end()
    }

    /// End the open member (if any), noting its count and checksum.
    pub fn end(&mut self) -> Result<()> {
        if let Some(open) = self.open.take() {
            if let (Some(sealer), Some(key)) = (open.sealer, &self.key) {
                sealer.finish(key, &mut self.zip).map_err(io_error)?;
            }
            self.members.push(MemberV1 {
                name: open.name.to_string(),
                records: open.records,
                sha256: hex_encode(&open.hash.finalize()),
            });
        }
        Ok(())
    }

    /// Write `manifest.json` (sealed too when encrypted) and finish the zip.
    pub fn finish(mut self, profile: ProfileV1, created_at_ms: i64) -> Result<W> {
        self.end()?;
        let manifest = ManifestV1 {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            created_at_ms,
            profile,
            members: std::mem::take(&mut self.members),
        };
        let bytes = serde_json::to_vec_pretty(&manifest).map_err(io_error)?;
        self.zip.start_file(MANIFEST, options()).map_err(io_error)?;
        match &self.key {
            Some(key) => {
                let mut sealer = Sealer::start(&mut self.zip).map_err(io_error)?;
                sealer.write(key, &mut self.zip, &bytes).map_err(io_error)?;
                sealer.finish(key, &mut self.zip).map_err(io_error)?;
            }
            None => self.zip.write_all(&bytes).map_err(io_error)?,
        }
        let mut out = self.zip.finish().map_err(io_error)?;
        out.flush().map_err(io_error)?;
        Ok(out)
    }
}
