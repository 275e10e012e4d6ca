//! The pages the authorization and logout endpoints show when they must not redirect: a small
//! HTML document in the visitor's language (English, French or Russian), with a way back to
//! the organization's page. Nothing in it comes from the request.

use guestpass_wire::Language;

use super::provider::Problem;

/// The status and text of `problem`: (status, title, explanation).
fn text(problem: Problem, language: Language) -> (u16, &'static str, &'static str) {
    use Language::*;
    use Problem::*;
    match (problem, language) {
        (UnknownClient, En) => (400, "This application is not registered",
            "The application that sent you here is not registered with this organization, so you were not signed in to it. Let its owner know."),
        (UnknownClient, Fr) => (400, "Cette application n’est pas enregistrée",
            "L’application qui vous a envoyé ici n’est pas enregistrée auprès de cette organisation : vous n’y avez pas été connecté. Prévenez son responsable."),
        (UnknownClient, Ru) => (400, "Это приложение не зарегистрировано",
            "Приложение, которое направило вас сюда, не зарегистрировано в этой организации, поэтому вход в него не выполнен. Сообщите его владельцу."),
        (RedirectUriNotRegistered, En) => (400, "This sign-in link is not valid",
            "The application asked to send you back to an address it has not registered, so you were not sent there. Let the application’s owner know."),
        (RedirectUriNotRegistered, Fr) => (400, "Ce lien de connexion n’est pas valide",
            "L’application a demandé à vous renvoyer vers une adresse qu’elle n’a pas enregistrée : vous n’y avez pas été envoyé. Prévenez le responsable de l’application."),
        (RedirectUriNotRegistered, Ru) => (400, "Эта ссылка для входа недействительна",
            "Приложение попросило вернуть вас на адрес, который оно не зарегистрировало, поэтому вы не были туда перенаправлены. Сообщите владельцу приложения."),
        (NotAssigned, En) => (403, "You don’t have access to this application",
            "Your organization has not given you access to this application. Ask an administrator to assign it to you."),
        (NotAssigned, Fr) => (403, "Vous n’avez pas accès à cette application",
            "Votre organisation ne vous a pas donné accès à cette application. Demandez à un administrateur de vous l’attribuer."),
        (NotAssigned, Ru) => (403, "У вас нет доступа к этому приложению",
            "Ваша организация не предоставила вам доступ к этому приложению. Попросите администратора назначить его вам."),
        (InvalidLogoutRequest, En) => (400, "This sign-out link is not valid",
            "The application’s sign-out request could not be verified, so nothing was changed. You can sign out from your organization’s page."),
        (InvalidLogoutRequest, Fr) => (400, "Ce lien de déconnexion n’est pas valide",
            "La demande de déconnexion de l’application n’a pas pu être vérifiée : rien n’a été modifié. Vous pouvez vous déconnecter depuis la page de votre organisation."),
        (InvalidLogoutRequest, Ru) => (400, "Эта ссылка для выхода недействительна",
            "Запрос приложения на выход не удалось проверить, поэтому ничего не изменилось. Выйти можно на странице вашей организации."),
    }
}

fn back_link(language: Language) -> &'static str {
    match language {
        Language::En => "Go to your organization’s page",
        Language::Fr => "Aller à la page de votre organisation",
        Language::Ru => "Перейти на страницу вашей организации",
    }
}

/// The page for `problem` in `language`, linking to the tenant's page: (status, HTML).
pub fn render(problem: Problem, language: Language, tenant_id: &str) -> (u16, String) {
    let (status, title, explanation) = text(problem, language);
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head>\
         <body><main><h1>{title}</h1><p>{explanation}</p>\
         <p><a href=\"/{tenant}/\">{back}</a></p></main></body></html>",
        lang = language.tag(),
        back = back_link(language),
        tenant = crate::url::encode_component(tenant_id),
    );
    (status, html)
}

/// The page's one inline style (its Content-Security-Policy allows inline styles, nothing else).
const STYLE: &str = "body{font:1rem/1.5 system-ui,sans-serif;color:#1b1b1b;margin:0}\
main{max-width:36rem;margin:12vh auto;padding:0 1rem}h1{font-size:1.5rem}a{color:#0b5cad}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_has_a_page_in_every_language_with_its_status() {
        for problem in [
            Problem::UnknownClient,
            Problem::RedirectUriNotRegistered,
            Problem::NotAssigned,
            Problem::InvalidLogoutRequest,
        ] {
            let english = text(problem, Language::En);
            for language in Language::ALL {
                let (status, title, explanation) = text(problem, language);
                assert_eq!(status, english.0);
                assert!(!title.is_empty() && !explanation.is_empty());
                if language != Language::En {
                    assert_ne!(title, english.1, "{problem:?} untranslated in {language:?}");
                }
                let (_, html) = render(problem, language, "t-1");
                assert!(html.contains(&format!("lang=\"{}\"", language.tag())));
                assert!(html.contains("href=\"/t-1/\""));
            }
        }
        assert_eq!(text(Problem::NotAssigned, Language::En).0, 403);
    }
}
