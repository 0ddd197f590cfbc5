//! Passphrase encryption of a backup's members (full-fidelity files).
//!
//! * The key: Argon2id over the passphrase with a random 16-byte salt
//!   (parameters in `encryption.json`, so a later release may raise them
//!   and still read older files), 32 bytes.
//! * Each member is sealed with ChaCha20-Poly1305 in the STREAM construction
//!   (Hoang, Reyhanitabar, Rogaway, Vizár 2015, as `age` uses it): the
//!   plaintext is cut into 64 KiB chunks; chunk `i` is sealed with the
//!   nonce `prefix (7 bytes) || i (u32, big-endian) || last (1 byte: 1 on
//!   the final chunk, else 0)`. The prefix is random per member and stored
//!   before the first chunk. A reordered, dropped, truncated or extended
//!   chunk fails to open; a wrong passphrase fails on the first chunk.
//! * Decryption never hands out plaintext that did not authenticate.

use std::io::{self, Read, Write};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};

use super::format::{EncryptionV1, bad};
use crate::error::{Error, Result};

/// The scheme name written to `encryption.json`.
pub const SCHEME: &str = "argon2id+chacha20poly1305-stream64k";

/// Plaintext bytes per chunk.
const CHUNK: usize = 64 * 1024;
/// Bytes of the Poly1305 tag after each chunk.
const TAG: usize = 16;
/// Bytes of the random per-member nonce prefix.
const PREFIX: usize = 7;

/// The Argon2id cost of new files (the `argon2` crate's defaults, the
/// OWASP recommendation: 19 MiB, 2 passes, 1 lane).
pub fn default_params() -> (u32, u32, u32) {
    (19 * 1024, 2, 1)
}

/// The 32-byte key of `passphrase` under `enc`'s parameters.
pub struct Key(chacha20poly1305::ChaCha20Poly1305);

impl Key {
    pub fn derive(passphrase: &str, enc: &EncryptionV1) -> Result<Key> {
        if enc.scheme != SCHEME {
            return Err(bad("an unknown encryption scheme"));
        }
        // Bounds so a hostile file cannot ask for gigabytes or hours.
        if enc.memory_kib > 256 * 1024 || enc.iterations > 10 || enc.lanes > 8 {
            return Err(bad("encryption parameters out of range"));
        }
        let salt = hex_decode(&enc.salt).ok_or_else(|| bad("the encryption salt"))?;
        let params = argon2::Params::new(enc.memory_kib, enc.iterations, enc.lanes, Some(32))
            .map_err(|_| bad("encryption parameters out of range"))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = [0u8; 32];
        argon
            .hash_password_into(passphrase.as_bytes(), &salt, &mut key)
            .map_err(|_| bad("encryption parameters out of range"))?;
        let cipher = ChaCha20Poly1305::new_from_slice(&key)
            .map_err(|_| Error::internal("backup", "key length"))?;
        key.fill(0);
        Ok(Key(cipher))
    }

    fn nonce(prefix: &[u8; PREFIX], counter: u32, last: bool) -> Nonce {
        let mut n = [0u8; 12];
        n[..PREFIX].copy_from_slice(prefix);
        n[PREFIX..PREFIX + 4].copy_from_slice(&counter.to_be_bytes());
        n[11] = u8::from(last);
        Nonce::from(n)
    }
}

pub fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A fresh `encryption.json` with a random salt.
pub fn new_encryption() -> EncryptionV1 {
    use rand::RngCore;
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let (m, t, p) = default_params();
    EncryptionV1 {
        scheme: SCHEME.to_string(),
        memory_kib: m,
        iterations: t,
        lanes: p,
        salt: hex_encode(&salt),
    }
}

/// Seals a member chunk by chunk into the output it is handed (the zip
/// entry being written); [`Sealer::finish`] seals the last chunk.
pub struct Sealer {
    prefix: [u8; PREFIX],
    counter: u32,
    buf: Vec<u8>,
}

impl Sealer {
    /// Start a member: its random nonce prefix goes first.
    pub fn start(out: &mut impl Write) -> io::Result<Sealer> {
        use rand::RngCore;
        let mut prefix = [0u8; PREFIX];
        rand::rng().fill_bytes(&mut prefix);
        out.write_all(&prefix)?;
        Ok(Sealer {
            prefix,
            counter: 0,
            buf: Vec::with_capacity(CHUNK),
        })
    }

    fn seal(&mut self, key: &Key, out: &mut impl Write, last: bool) -> io::Result<()> {
        let nonce = Key::nonce(&self.prefix, self.counter, last);
        let sealed = key
            .0
            .encrypt(&nonce, self.buf.as_slice())
            .map_err(|_| io::Error::other("encryption failed"))?;
        out.write_all(&sealed)?;
        self.buf.clear();
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| io::Error::other("member too large to encrypt"))?;
        Ok(())
    }

    /// Add plaintext.
    pub fn write(&mut self, key: &Key, out: &mut impl Write, data: &[u8]) -> io::Result<()> {
        let mut rest = data;
        while !rest.is_empty() {
            // A full chunk is sealed only when more data follows, so the
            // final chunk is always the one `finish` seals.
            if self.buf.len() == CHUNK {
                self.seal(key, out, false)?;
            }
            let take = (CHUNK - self.buf.len()).min(rest.len());
            self.buf.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
        }
        Ok(())
    }

    /// Seal the final chunk (possibly empty).
    pub fn finish(mut self, key: &Key, out: &mut impl Write) -> io::Result<()> {
        self.seal(key, out, true)
    }
}

/// Opens a member sealed by [`Sealer`], chunk by chunk. Errors are
/// `InvalidData` carrying a `Validation` on `passphrase` (the first chunk
/// does not open: a wrong passphrase) or `file` (a later one: damage).
pub struct Opener<'k, R: Read> {
    key: &'k Key,
    input: R,
    prefix: Option<[u8; PREFIX]>,
    counter: u32,
    plain: Vec<u8>,
    pos: usize,
    done: bool,
}

/// The error a failed open carries through `io::Error`.
pub fn opening_error(e: &io::Error) -> Option<Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<OpenFailed>())
        .map(|f| f.0.clone())
}

#[derive(Debug)]
struct OpenFailed(Error);

impl std::fmt::Display for OpenFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for OpenFailed {}

fn failed(e: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, OpenFailed(e))
}

impl<'k, R: Read> Opener<'k, R> {
    pub fn new(key: &'k Key, input: R) -> Self {
        Opener {
            key,
            input,
            prefix: None,
            counter: 0,
            plain: Vec::new(),
            pos: 0,
            done: false,
        }
    }

    fn wrong(&self) -> io::Error {
        if self.counter == 0 {
            failed(Error::validation(
                "passphrase",
                "is not the passphrase of this backup (or the file is damaged)",
            ))
        } else {
            failed(bad("an encrypted part is damaged"))
        }
    }

    /// Read and open the next chunk into `plain`.
    fn next_chunk(&mut self) -> io::Result<()> {
        let prefix = match self.prefix {
            Some(p) => p,
            None => {
                let mut p = [0u8; PREFIX];
                self.input
                    .read_exact(&mut p)
                    .map_err(|_| failed(bad("an encrypted part is truncated")))?;
                self.prefix = Some(p);
                p
            }
        };
        let mut sealed = vec![0u8; CHUNK + TAG];
        let mut got = 0;
        while got < sealed.len() {
            let n = self.input.read(&mut sealed[got..])?;
            if n == 0 {
                break;
            }
            got += n;
        }
        sealed.truncate(got);
        if got < TAG {
            return Err(failed(bad("an encrypted part is truncated")));
        }
        let open = |last| {
            self.key
                .0
                .decrypt(&Key::nonce(&prefix, self.counter, last), sealed.as_slice())
        };
        let (plain, last) = if got < CHUNK + TAG {
            // A short chunk can only be the last one.
            (open(true).map_err(|_| self.wrong())?, true)
        } else {
            match open(false) {
                Ok(p) => (p, false),
                Err(_) => (open(true).map_err(|_| self.wrong())?, true),
            }
        };
        if last {
            // Nothing may follow the last chunk.
            let mut probe = [0u8; 1];
            if self.input.read(&mut probe)? != 0 {
                return Err(failed(bad("an encrypted part has data after its end")));
            }
            self.done = true;
        }
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| failed(bad("an encrypted part is too long")))?;
        self.plain = plain;
        self.pos = 0;
        Ok(())
    }
}

impl<R: Read> Read for Opener<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.plain.len() {
            if self.done {
                return Ok(0);
            }
            self.next_chunk()?;
        }
        let n = (self.plain.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(pass: &str, enc: &EncryptionV1) -> Key {
        Key::derive(pass, enc).unwrap()
    }

    fn cheap() -> EncryptionV1 {
        EncryptionV1 {
            memory_kib: 64,
            iterations: 1,
            ..new_encryption()
        }
    }

    fn seal(k: &Key, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut s = Sealer::start(&mut out).unwrap();
        // In uneven pieces, as records arrive.
        for piece in data.chunks(1000) {
            s.write(k, &mut out, piece).unwrap();
        }
        s.finish(k, &mut out).unwrap();
        out
    }

    fn open(k: &Key, sealed: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        Opener::new(k, sealed).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn round_trips_at_chunk_edges() {
        let enc = cheap();
        let k = key("correct horse", &enc);
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            assert_eq!(
                open(&k, &seal(&k, &data)).unwrap(),
                data,
                "a member of {len} bytes must come back whole"
            );
        }
    }

    #[test]
    fn wrong_passphrase_truncation_and_tampering_are_refused() {
        let enc = cheap();
        let k = key("correct horse", &enc);
        let data = vec![7u8; 2 * CHUNK + 10];
        let sealed = seal(&k, &data);
        let e = open(&key("wrong", &enc), &sealed).unwrap_err();
        assert_eq!(
            opening_error(&e).and_then(|e| e.field().map(str::to_string)),
            Some("passphrase".to_string()),
            "a wrong passphrase is named as such"
        );
        // Dropping the last chunk: the previous full chunk is not marked last.
        let cut = PREFIX + 2 * (CHUNK + TAG);
        assert!(
            open(&k, &sealed[..cut]).is_err(),
            "a file cut at a chunk boundary must not read as complete"
        );
        let mut flipped = sealed.clone();
        flipped[PREFIX + CHUNK + TAG + 5] ^= 1;
        assert!(open(&k, &flipped).is_err(), "a flipped bit must be refused");
        let mut longer = sealed;
        longer.push(0);
        assert!(
            open(&k, &longer).is_err(),
            "bytes after the end are refused"
        );
    }
}
