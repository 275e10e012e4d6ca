//! Where a browser may be sent after sign-in. The API vets an invitation's redirect URL with this
//! rule when it is set, and the SPA checks it again before following it.

pub const MAX_URL_LENGTH: usize = 2048;

/// An absolute URL's scheme and authority (`https://wiki.example:8443/cb?x` → `https`,
/// `wiki.example:8443`); `None` for a URL without `://`.
pub fn scheme_and_authority(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    Some((scheme, rest.split(['/', '?', '#']).next().unwrap_or("")))
}

/// An invitation's redirect URL: absolute `https`, or `http` on a loopback host for development.
/// No credentials, no whitespace, no fragment-only tricks.
pub fn is_acceptable_redirect(url: &str) -> bool {
    if url.len() > MAX_URL_LENGTH
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return false;
    }
    let Some((scheme, authority)) = scheme_and_authority(url) else {
        return false;
    };
    if authority.is_empty() || authority.contains('@') {
        return false;
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            authority
        }
    });
    let host = host.to_ascii_lowercase();
    match scheme.to_ascii_lowercase().as_str() {
        "https" => crate::email::is_valid_domain(&host) || host == "localhost",
        "http" => matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]"),
        _ => false,
    }
}
