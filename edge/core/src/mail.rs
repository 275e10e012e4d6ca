//! The emails Guestpass sends. Text only: no tracking, no remote images, nothing a code could
//! leak through. The code appears in the body, never in the subject (lock-screen previews).

use crate::limits::CODE_LIFETIME_MS;
use crate::time::MINUTE;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
}

pub fn code_email(to: &str, tenant_name: &str, code: &str) -> Email {
    Email {
        to: to.into(),
        subject: format!("Your {tenant_name} verification code"),
        text: format!(
            "Use this code to sign in to {tenant_name}:\n\n    {code}\n\n\
             It expires in {} minutes and works once. If you did not ask for it, you can ignore this email: \
             nobody can sign in without the code.\n",
            CODE_LIFETIME_MS / MINUTE
        ),
    }
}

pub fn invitation_email(to: &str, tenant_name: &str, redeem_url: &str, custom_message: Option<&str>) -> Email {
    let custom = custom_message.map(|m| format!("Message from {tenant_name}:\n{m}\n\n")).unwrap_or_default();
    Email {
        to: to.into(),
        subject: format!("{tenant_name} invited you"),
        text: format!(
            "{tenant_name} invited you to sign in as a guest.\n\n{custom}\
             Accept the invitation: {redeem_url}\n\n\
             You will get a one-time code at this address; no password is needed. \
             {tenant_name} will see your email address and when you sign in.\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_in_the_body_not_the_subject() {
        let email = code_email("ada@example.com", "Contoso", "01234567");
        assert!(email.text.contains("01234567"));
        assert!(!email.subject.contains("01234567"));
        assert!(email.text.contains("30 minutes"));
    }

    #[test]
    fn invitations_carry_the_link_and_the_custom_message() {
        let email = invitation_email("ada@example.com", "Contoso", "https://x/t/redeem?invitation=i", Some("Welcome!"));
        assert!(email.text.contains("https://x/t/redeem?invitation=i"));
        assert!(email.text.contains("Welcome!"));
    }
}
