//! The Guestpass single-page app. This first version is a placeholder the Worker serves as
//! static assets; the sign-in screens build on it.

use leptos::prelude::*;

/// The first path segment names the organization (`/{tenantId}/…` or `/{domain}/…`).
pub fn tenant_from_path(path: &str) -> Option<&str> {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .filter(|s| !s.is_empty())
}

#[component]
pub fn App() -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    let tenant = tenant_from_path(&path).map(str::to_owned);
    view! {
        <main class="card" id="app">
            <h1>"Guestpass"</h1>
            {match tenant {
                Some(t) => view! { <p>"Sign-in for organization " <code>{t}</code> " is being prepared."</p> }.into_any(),
                None => view! {
                    <p role="alert">"This link is missing the organization. Ask the organization for its sign-in link."</p>
                }.into_any(),
            }}
        </main>
    }
}
