//! The emails Guestpass sends, in the reader's language. Text only: no tracking, no remote images,
//! nothing a code could leak through. The code appears in the body, never in the subject
//! (lock-screen previews).

use crate::limits::CODE_LIFETIME_MS;
use crate::time::MINUTE;
use guestpass_wire::Language;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
}

pub fn code_email(to: &str, tenant_name: &str, code: &str, language: Language) -> Email {
    let minutes = (CODE_LIFETIME_MS / MINUTE) as u64;
    let minutes = match language {
        Language::En => language.count(minutes, "# minute|||# minutes"),
        Language::Fr => language.count(minutes, "# minute||# de minutes|# minutes"),
        Language::Ru => language.count(minutes, "# минуту|# минуты|# минут|"),
    };
    let (subject, text) = match language {
        Language::En => (
            format!("Your {tenant_name} verification code"),
            format!(
                "Use this code to sign in to {tenant_name}:\n\n    {code}\n\n\
                 It expires in {minutes} and works once. If you did not ask for it, you can ignore \
                 this email: nobody can sign in without the code.\n"
            ),
        ),
        Language::Fr => (
            format!("Votre code de vérification {tenant_name}"),
            format!(
                "Utilisez ce code pour vous connecter à {tenant_name} :\n\n    {code}\n\n\
                 Il expire dans {minutes} et ne sert qu'une fois. Si vous ne l'avez pas demandé, \
                 vous pouvez ignorer cet e-mail : personne ne peut se connecter sans ce code.\n"
            ),
        ),
        Language::Ru => (
            format!("Ваш код подтверждения {tenant_name}"),
            format!(
                "Используйте этот код для входа в {tenant_name}:\n\n    {code}\n\n\
                 Он действует {minutes} и только один раз. Если вы его не запрашивали, просто \
                 проигнорируйте это письмо: без кода никто не сможет войти.\n"
            ),
        ),
    };
    Email {
        to: to.into(),
        subject,
        text,
    }
}

pub fn invitation_email(
    to: &str,
    tenant_name: &str,
    redeem_url: &str,
    custom_message: Option<&str>,
    language: Language,
) -> Email {
    let (subject, intro, from, accept, how) = match language {
        Language::En => (
            format!("{tenant_name} invited you"),
            format!("{tenant_name} invited you to sign in as a guest."),
            format!("Message from {tenant_name}:"),
            "Accept the invitation:",
            format!(
                "You will get a one-time code at this address; no password is needed. \
                 {tenant_name} will see your email address and when you sign in."
            ),
        ),
        Language::Fr => (
            format!("{tenant_name} vous a invité"),
            format!("{tenant_name} vous invite à vous connecter en tant qu'invité."),
            format!("Message de {tenant_name} :"),
            "Accepter l'invitation :",
            format!(
                "Vous recevrez un code à usage unique à cette adresse ; aucun mot de passe n'est nécessaire. \
                 {tenant_name} verra votre adresse e-mail et vos dates de connexion."
            ),
        ),
        Language::Ru => (
            format!("{tenant_name} приглашает вас"),
            format!("{tenant_name} приглашает вас войти в качестве гостя."),
            format!("Сообщение от {tenant_name}:"),
            "Принять приглашение:",
            format!(
                "Вы получите одноразовый код на этот адрес; пароль не нужен. \
                 {tenant_name} увидит ваш адрес электронной почты и время ваших входов."
            ),
        ),
    };
    let custom = custom_message
        .map(|m| format!("{from}\n{m}\n\n"))
        .unwrap_or_default();
    Email {
        to: to.into(),
        subject,
        text: format!("{intro}\n\n{custom}{accept} {redeem_url}\n\n{how}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_in_the_body_not_the_subject_in_every_language() {
        for language in Language::ALL {
            let email = code_email("ada@example.com", "Contoso", "01234567", language);
            assert!(email.text.contains("01234567"), "{language:?}");
            assert!(!email.subject.contains("01234567"), "{language:?}");
            assert!(
                email.text.contains("30"),
                "{language:?}: the lifetime is stated"
            );
        }
        let ru = code_email("ada@example.com", "Contoso", "01234567", Language::Ru);
        assert!(ru.text.contains("Он действует 30 минут и"));
    }

    #[test]
    fn each_language_has_its_own_words() {
        let subjects: Vec<String> = Language::ALL
            .iter()
            .map(|l| code_email("a@b.example", "Contoso", "1", *l).subject)
            .collect();
        assert_eq!(subjects[0], "Your Contoso verification code");
        assert!(subjects[1].contains("Votre code"));
        assert!(subjects[2].contains("Ваш код"));
        let invitation = invitation_email(
            "a@b.example",
            "Contoso",
            "https://x/t/redeem",
            None,
            Language::Fr,
        );
        assert!(invitation
            .text
            .contains("Accepter l'invitation : https://x/t/redeem"));
    }

    #[test]
    fn invitations_carry_the_link_and_the_custom_message() {
        for language in Language::ALL {
            let email = invitation_email(
                "ada@example.com",
                "Contoso",
                "https://x/t/redeem?invitation=i",
                Some("Welcome!"),
                language,
            );
            assert!(email.text.contains("https://x/t/redeem?invitation=i"));
            assert!(email.text.contains("Welcome!"));
        }
    }
}
