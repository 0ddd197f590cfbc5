//! A tolerant tag reader for both OFX bodies: 1.x SGML and 2.x XML.
//!
//! OFX 1.x is SGML whose leaf elements have no closing tag (`<TRNAMT>-12.50`
//! ends at the next `<`); 2.x is XML where they do (`<TRNAMT>-12.50</TRNAMT>`).
//! One reading covers both: an opening tag followed by text is a
//! [`Tag::Leaf`] with that text; an opening tag followed by another tag is
//! [`Tag::Open`] (an aggregate); `</X>` is [`Tag::Close`] — for a leaf's
//! closing tag in XML the caller finds no open `X` and ignores it.
//!
//! * Tag names are upper-cased; attributes (OFX has none) are ignored.
//! * Text outside a value (the 1.x header lines, whitespace) is skipped;
//!   `<?…?>` processing instructions (the 2.x header) and `<!-- -->`
//!   comments are skipped. Any other `<!…>` (a DTD, CDATA) is refused: a
//!   bank statement needs none, and nothing is ever expanded.
//! * Values are trimmed; `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;` and
//!   numeric references are decoded; any other `&` is kept as written (SGML
//!   files carry `AT&T` unescaped).
//!
//! Never panics: every slice is at a position found by `find` on ASCII.

use crate::bank::text::{Line, file_error};
use crate::error::Result;

/// One tag of an OFX body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Tag {
    Open(String),
    Close(String),
    Leaf { name: String, value: String },
}

/// The tags of `text`, each with the line it starts on.
pub(super) struct Tags<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Tags<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Tags {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// Moves to byte `to`, counting the lines passed.
    fn advance(&mut self, to: usize) {
        let to = to.min(self.text.len());
        self.line += self.text.as_bytes()[self.pos..to]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = to;
    }

    /// The byte offset of `needle` at or after `from`, if any.
    fn find(&self, from: usize, needle: &str) -> Option<usize> {
        self.text.get(from..)?.find(needle).map(|i| from + i)
    }

    /// The next tag, `None` at the end.
    pub(super) fn next_tag(&mut self) -> Result<Option<(Line, Tag)>> {
        let text = self.text;
        loop {
            let Some(lt) = self.find(self.pos, "<") else {
                self.advance(self.text.len());
                return Ok(None);
            };
            self.advance(lt);
            let line = Line(self.line);
            let rest = &text[lt..];
            if rest.starts_with("<!--") {
                let end = self
                    .find(lt + 4, "-->")
                    .ok_or_else(|| file_error(line, "a comment is never closed"))?;
                self.advance(end + 3);
                continue;
            }
            if rest.starts_with("<?") {
                let end = self
                    .find(lt + 2, ">")
                    .ok_or_else(|| file_error(line, "a '<?' header is never closed"))?;
                self.advance(end + 1);
                continue;
            }
            if rest.starts_with("<!") {
                return Err(file_error(
                    line,
                    "has a '<!' declaration (DTD or CDATA), which an OFX statement never needs",
                ));
            }
            let gt = self
                .find(lt + 1, ">")
                .ok_or_else(|| file_error(line, "a tag is never closed with '>'"))?;
            let inner = &text[lt + 1..gt];
            self.advance(gt + 1);
            if let Some(name) = inner.strip_prefix('/') {
                return Ok(Some((line, Tag::Close(tag_name(name, line)?))));
            }
            if let Some(name) = inner.strip_suffix('/') {
                let name = tag_name(name, line)?;
                return Ok(Some((
                    line,
                    Tag::Leaf {
                        name,
                        value: String::new(),
                    },
                )));
            }
            let name = tag_name(inner, line)?;
            let value_end = self.find(self.pos, "<").unwrap_or(text.len());
            let value = text[self.pos..value_end].trim();
            if value.is_empty() {
                return Ok(Some((line, Tag::Open(name))));
            }
            let value = unescape(value);
            self.advance(value_end);
            return Ok(Some((line, Tag::Leaf { name, value })));
        }
    }
}

/// The upper-cased name of a tag's inside (`STMTTRN`, `INTU.BID`).
fn tag_name(inner: &str, line: Line) -> Result<String> {
    let name = inner.split_whitespace().next().unwrap_or("");
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':'))
    {
        let shown: String = inner.chars().take(40).collect();
        return Err(file_error(line, format!("'<{shown}>' is not an OFX tag")));
    }
    Ok(name.to_ascii_uppercase())
}

/// Decodes the entities OFX files use; any other `&` stays as written.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &after[..semi];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity.strip_prefix('#').and_then(|num| {
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse().ok(),
                    };
                    code.and_then(char::from_u32).filter(|c| *c != '\0')
                }),
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<Tag> {
        let mut tags = Tags::new(text);
        let mut out = Vec::new();
        while let Some((_, t)) = tags.next_tag().unwrap() {
            out.push(t);
        }
        out
    }

    fn leaf(name: &str, value: &str) -> Tag {
        Tag::Leaf {
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn sgml_and_xml_leaves_read_alike() {
        let sgml = all("OFXHEADER:100\n<OFX>\n<NAME>AT&T &amp; Co\n<TRNAMT>-1.5\n</OFX>");
        assert_eq!(
            sgml,
            vec![
                Tag::Open("OFX".into()),
                leaf("NAME", "AT&T & Co"),
                leaf("TRNAMT", "-1.5"),
                Tag::Close("OFX".into())
            ],
            "the header is skipped, leaves end at the next tag, a bare & stays"
        );
        let xml =
            all("<?xml version=\"1.0\"?><?OFX x?><ofx><!-- c --><NAME>Caf&#233;</NAME></ofx>");
        assert_eq!(
            xml,
            vec![
                Tag::Open("OFX".into()),
                leaf("NAME", "Café"),
                Tag::Close("NAME".into()),
                Tag::Close("OFX".into())
            ]
        );
    }

    #[test]
    fn declarations_and_broken_tags_are_refused_with_the_line() {
        let mut t = Tags::new("<OFX>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>");
        t.next_tag().unwrap();
        let err = t.next_tag().unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("DTD"), "{err}");
        assert!(Tags::new("<OFX").next_tag().is_err());
        assert!(Tags::new("< >").next_tag().is_err());
        assert!(Tags::new("<!-- never closed").next_tag().is_err());
    }
}
