//! Email address validation and normalization, written once for the SPA and the edge.
//!
//! Addresses are compared case-insensitively (as Entra does), so the normalized form is the
//! trimmed, lower-cased address. Only the common unquoted ASCII syntax is accepted: quoted local
//! parts and IP-literal domains are valid in RFC 5321 but are not addresses people invite.

/// Longest address a mail server must accept (RFC 5321 path limit minus the angle brackets).
pub const MAX_EMAIL_LENGTH: usize = 254;
const MAX_LOCAL_LENGTH: usize = 64;
const MAX_LABEL_LENGTH: usize = 63;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    Malformed,
}

impl EmailError {
    pub fn message(self) -> &'static str {
        match self {
            EmailError::Empty => "Enter an email address.",
            EmailError::TooLong => "That email address is too long.",
            EmailError::Malformed => "Enter a valid email address, like name@example.com.",
        }
    }
}

/// Returns the normalized address, or why it is not one.
pub fn normalize_email(raw: &str) -> Result<String, EmailError> {
    let address = raw.trim();
    if address.is_empty() {
        return Err(EmailError::Empty);
    }
    if address.len() > MAX_EMAIL_LENGTH {
        return Err(EmailError::TooLong);
    }
    let (local, domain) = address.split_once('@').ok_or(EmailError::Malformed)?;
    if !is_valid_local_part(local) || !is_valid_domain(domain) {
        return Err(EmailError::Malformed);
    }
    Ok(address.to_ascii_lowercase())
}

fn is_valid_local_part(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~.";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LENGTH
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c))
}

/// A DNS name with at least two labels, as a verified tenant domain or a mail domain.
pub fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= MAX_LABEL_LENGTH
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && !labels
            .last()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_trims_and_lowercases() {
        assert_eq!(
            normalize_email("  Ada.Lovelace@Example.COM ").unwrap(),
            "ada.lovelace@example.com"
        );
    }

    #[test]
    fn plus_addressing_and_subdomains_are_accepted() {
        assert!(normalize_email("a+tag@mail.example.co.uk").is_ok());
    }

    #[test]
    fn malformed_addresses_are_rejected_with_a_reason() {
        assert_eq!(normalize_email(""), Err(EmailError::Empty));
        assert_eq!(normalize_email("   "), Err(EmailError::Empty));
        for bad in [
            "plainaddress",
            "@example.com",
            "a@",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            ".a@b.com",
            "a.@b.com",
            "a..b@c.com",
            "a@-b.com",
            "a@b..com",
            "a@b.123",
            "\"q\"@b.com",
            "a\tb@c.com",
            "é@b.com",
        ] {
            assert_eq!(normalize_email(bad), Err(EmailError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn overlong_addresses_are_rejected() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(normalize_email(&long), Err(EmailError::TooLong));
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(normalize_email(&long_local), Err(EmailError::Malformed));
    }

    #[test]
    fn domains_need_two_labels_and_a_non_numeric_tld() {
        assert!(is_valid_domain("contoso.com"));
        assert!(!is_valid_domain("localhost"));
        assert!(!is_valid_domain("10.0.0.1"));
    }
}
