//! Rules every API request passes before a handler runs: same-origin for state changes,
//! JSON bodies, a size limit. Kept pure so they are tested natively.

use crate::error::DomainError;

/// Largest request body the API reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub fn is_state_changing(method: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// CSRF defence for state-changing calls. A browser always says where a request comes from
/// (`Sec-Fetch-Site`, `Origin`); if it says anything but this origin, refuse. A call that says
/// nothing is automation, which is only allowed without cookies (bearer token or no credentials).
pub fn check_same_origin(
    sec_fetch_site: Option<&str>,
    origin: Option<&str>,
    own_origin: &str,
    carries_cookie: bool,
) -> Result<(), DomainError> {
    if let Some(site) = sec_fetch_site {
        if !matches!(site, "same-origin" | "none") {
            return Err(DomainError::CrossSite);
        }
    }
    if let Some(origin) = origin {
        if !origin.eq_ignore_ascii_case(own_origin) {
            return Err(DomainError::CrossSite);
        }
    }
    if carries_cookie && sec_fetch_site.is_none() && origin.is_none() {
        return Err(DomainError::CrossSite);
    }
    Ok(())
}

/// Bodies must be declared JSON (`application/json`, parameters allowed).
pub fn check_json_content_type(content_type: Option<&str>) -> Result<(), DomainError> {
    let essence = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|ct| ct.trim().to_ascii_lowercase());
    match essence.as_deref() {
        Some("application/json") => Ok(()),
        _ => Err(DomainError::UnsupportedMediaType),
    }
}

pub fn check_body_size(declared: Option<usize>, actual: Option<usize>) -> Result<(), DomainError> {
    check_size_within(MAX_BODY_BYTES, declared, actual)
}

/// `413` when the declared or actual size passes `limit`.
pub fn check_size_within(
    limit: usize,
    declared: Option<usize>,
    actual: Option<usize>,
) -> Result<(), DomainError> {
    if declared.or(actual).is_some_and(|n| n > limit) {
        return Err(DomainError::PayloadTooLarge { limit });
    }
    Ok(())
}

/// A request body as it arrives, chunk by chunk.
#[allow(async_fn_in_trait)]
pub trait BodyChunks {
    /// The next chunk, or `None` at the end.
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, DomainError>;
}

/// Reads a body, refusing it as soon as it passes [`MAX_BODY_BYTES`] — whether or not it
/// declared a length — so an endless body is never held, or even read, past the limit.
pub async fn read_capped<C: BodyChunks>(chunks: &mut C) -> Result<Vec<u8>, DomainError> {
    read_capped_to(chunks, MAX_BODY_BYTES).await
}

/// [`read_capped`] with a limit of its own (an image upload's).
pub async fn read_capped_to<C: BodyChunks>(
    chunks: &mut C,
    limit: usize,
) -> Result<Vec<u8>, DomainError> {
    let mut body = Vec::new();
    while let Some(chunk) = chunks.next_chunk().await? {
        check_size_within(limit, None, Some(body.len() + chunk.len()))?;
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Parses a JSON body into `T`, telling syntax errors from shape errors. Bodies are objects:
/// serde would also accept an array for a struct, which is no part of the API.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, DomainError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') {
        // Only whether it is JSON at all: nothing is built from it.
        return match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            Ok(_) => Err(DomainError::validation(
                "body",
                "The request body must be a JSON object.",
            )),
            Err(e) => Err(DomainError::InvalidJson(e.to_string())),
        };
    }
    serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            DomainError::validation("body", format!("The request body is not as expected: {e}"))
        }
        _ => DomainError::InvalidJson(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::run;

    const OWN: &str = "https://id.contoso.com";

    #[test]
    fn same_origin_browser_calls_pass() {
        assert!(check_same_origin(Some("same-origin"), Some(OWN), OWN, true).is_ok());
        assert!(check_same_origin(None, Some(OWN), OWN, true).is_ok());
    }

    #[test]
    fn cross_site_calls_are_refused() {
        assert_eq!(
            check_same_origin(Some("cross-site"), None, OWN, false),
            Err(DomainError::CrossSite)
        );
        assert_eq!(
            check_same_origin(Some("same-site"), None, OWN, false),
            Err(DomainError::CrossSite)
        );
        assert_eq!(
            check_same_origin(None, Some("https://evil.example"), OWN, false),
            Err(DomainError::CrossSite)
        );
        assert_eq!(
            check_same_origin(None, Some("null"), OWN, true),
            Err(DomainError::CrossSite)
        );
    }

    #[test]
    fn silent_calls_are_automation_and_must_not_carry_cookies() {
        assert!(check_same_origin(None, None, OWN, false).is_ok());
        assert_eq!(
            check_same_origin(None, None, OWN, true),
            Err(DomainError::CrossSite)
        );
    }

    #[test]
    fn only_json_bodies_are_read() {
        assert!(check_json_content_type(Some("application/json")).is_ok());
        assert!(check_json_content_type(Some("Application/JSON; charset=utf-8")).is_ok());
        for bad in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data"),
        ] {
            assert_eq!(
                check_json_content_type(bad),
                Err(DomainError::UnsupportedMediaType)
            );
        }
    }

    #[test]
    fn oversized_bodies_are_refused_whether_declared_or_not() {
        assert!(check_body_size(Some(100), Some(100)).is_ok());
        assert!(check_body_size(Some(MAX_BODY_BYTES + 1), None).is_err());
        assert!(check_body_size(None, Some(MAX_BODY_BYTES + 1)).is_err());
    }

    #[test]
    fn syntax_and_shape_errors_are_told_apart() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Body {
            email: String,
        }
        assert!(matches!(
            parse_json::<Body>(b"{\"email\":"),
            Err(DomainError::InvalidJson(_))
        ));
        assert!(matches!(
            parse_json::<Body>(b"{}"),
            Err(DomainError::Validation { .. })
        ));
        assert!(matches!(
            parse_json::<Body>(b"{\"email\":5}"),
            Err(DomainError::Validation { .. })
        ));
        assert!(parse_json::<Body>(b"{\"email\":\"a@b.com\"}").is_ok());
        assert!(matches!(
            parse_json::<Body>(b"[\"a@b.com\"]"),
            Err(DomainError::Validation { .. })
        ));
        assert!(matches!(
            parse_json::<Body>(b"nonsense"),
            Err(DomainError::InvalidJson(_))
        ));
        assert!(matches!(
            parse_json::<Body>(b""),
            Err(DomainError::InvalidJson(_))
        ));
    }

    /// A body that never ends, counting what was pulled from it.
    struct Endless {
        pulled: usize,
    }

    impl BodyChunks for Endless {
        async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, DomainError> {
            self.pulled += 1;
            Ok(Some(vec![b' '; 1024]))
        }
    }

    struct Chunks(Vec<Vec<u8>>);

    impl BodyChunks for Chunks {
        async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, DomainError> {
            Ok((!self.0.is_empty()).then(|| self.0.remove(0)))
        }
    }

    #[test]
    fn an_endless_body_is_refused_after_the_limit_without_reading_on() {
        let mut endless = Endless { pulled: 0 };
        assert_eq!(
            run(read_capped(&mut endless)),
            Err(DomainError::PayloadTooLarge {
                limit: MAX_BODY_BYTES
            })
        );
        assert_eq!(endless.pulled, MAX_BODY_BYTES / 1024 + 1);
    }

    #[test]
    fn a_body_within_the_limit_is_read_whole_from_its_chunks() {
        let mut chunks = Chunks(vec![b"{\"a\":".to_vec(), b"1}".to_vec()]);
        assert_eq!(run(read_capped(&mut chunks)).unwrap(), b"{\"a\":1}");
    }
}
