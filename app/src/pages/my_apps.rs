//! `/{tenant}/apps`, "My apps" (the seed's access panel): the applications the signed-in user
//! may open, each a link to its home page, where its own sign-in comes back through Guestpass.

use crate::api;
use crate::components::status::Status;
use crate::flow::Problem;
use crate::i18n::{AccountKey, Key};
use crate::route::landing_path;
use crate::{browser, tr, Texts};
use guestpass_wire::application::MyApplication;
use guestpass_wire::redirect::scheme_and_authority;
use leptos::html::H1;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn MyApps(tenant: String) -> impl IntoView {
    let texts = Texts::get();
    let heading = NodeRef::<H1>::new();
    request_animation_frame(move || {
        if let Some(heading) = heading.get_untracked() {
            let _ = heading.focus();
        }
    });
    Effect::new(move |_| browser::set_title(texts.t(AccountKey::MyAppsTitle)));
    let applications = RwSignal::new(None::<Vec<MyApplication>>);
    let problem = RwSignal::new(None::<Problem>);
    {
        let tenant = tenant.clone();
        spawn_local(async move {
            match api::my_applications(&tenant).await {
                Ok(list) => applications.set(Some(list.value)),
                Err(failure) => problem.set(Some(Problem::Failed(failure))),
            }
        });
    }
    let error = Signal::derive(move || problem.get().map(|p| p.text(texts.language())));
    let list = move || {
        let Some(list) = applications.get() else {
            return (problem.with(Option::is_none))
                .then(|| view! { <p aria-busy="true">{tr(Key::Loading)}</p> })
                .into_any();
        };
        if list.is_empty() {
            return view! { <p id="apps-empty">{tr(AccountKey::MyAppsEmpty)}</p> }.into_any();
        }
        // Each link shows the site it opens, so a user sees where it leads.
        let items = list
            .into_iter()
            .map(|app| {
                let site = scheme_and_authority(&app.launch_url)
                    .map(|(_, site)| site.to_string())
                    .unwrap_or_default();
                view! {
                    <li class="app">
                        <a class="app-link" href=app.launch_url>
                            <span class="app-name">{app.display_name}</span>
                            <span class="hint">{site}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul id="apps" class="apps">{items}</ul> }.into_any()
    };
    view! {
        <h1 id="page-title" tabindex="-1" node_ref=heading>{tr(AccountKey::MyAppsTitle)}</h1>
        <Status error />
        <p>{tr(AccountKey::MyAppsIntro)}</p>
        {list}
        <div class="secondary">
            <a id="done" href=landing_path(&tenant)>{tr(AccountKey::Done)}</a>
        </div>
    }
}
