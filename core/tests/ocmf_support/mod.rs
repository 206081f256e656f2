//! Reads the OCMF vector files (Transparenzsoftware XML) of `tests/vectors/ocmf/`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/ocmf")
}

pub fn read(file: &str) -> String {
    let bytes = std::fs::read(dir().join(file)).unwrap();
    // One file is declared ISO-8859-1; all content is ASCII apart from a BOM.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One `<value>` element: the signed text (`signedData` or `encodedData`, as
/// stored, untrimmed) and the public key text.
#[derive(Debug, Clone)]
pub struct XmlValue {
    pub element: &'static str,
    pub data: String,
    pub public_key: String,
}

fn inner<'a>(block: &'a str, tag: &str) -> Option<&'a str> {
    let open = block.find(&format!("<{tag}"))?;
    let after_open = open + block[open..].find('>')? + 1;
    let close = after_open + block[after_open..].find(&format!("</{tag}>"))?;
    Some(&block[after_open..close])
}

/// The `<value>` elements of a file, in order.
pub fn values(file: &str) -> Vec<XmlValue> {
    let xml = read(file);
    let mut out = Vec::new();
    let mut rest = xml.as_str();
    while let Some(pos) = rest.find("<value") {
        let next = rest.as_bytes().get(pos + 6).copied();
        if next == Some(b's') {
            rest = &rest[pos + 7..];
            continue;
        }
        let end = rest[pos..].find("</value>").map(|e| pos + e).unwrap();
        let block = &rest[pos..end];
        let (element, data) = match inner(block, "signedData") {
            Some(d) => ("signedData", d),
            None => ("encodedData", inner(block, "encodedData").unwrap()),
        };
        out.push(XmlValue {
            element,
            data: data.to_string(),
            public_key: inner(block, "publicKey").unwrap().to_string(),
        });
        rest = &rest[end + 8..];
    }
    out
}
