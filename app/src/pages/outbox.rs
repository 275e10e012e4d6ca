//! `/dev/outbox`: in development, the emails the deployment "sent", newest first, so a person
//! trying Guestpass locally can read their code. Production answers 404 and the page says so.

use crate::api::{self, Failure};
use crate::components::frame::Frame;
use crate::components::status::Status;
use crate::flow::Problem;
use crate::i18n::{AccountKey, Key};
use crate::{browser, tr, Texts};
use guestpass_wire::{ErrorCode, OutboxMessage};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn OutboxPage(to: Option<String>) -> impl IntoView {
    let texts = Texts::get();
    let messages = RwSignal::new(None::<Result<Vec<OutboxMessage>, Failure>>);
    let recipient = StoredValue::new(to);
    let load = move || {
        spawn_local(async move {
            let result = api::outbox(recipient.get_value().as_deref())
                .await
                .map(|list| list.value.into_iter().rev().collect());
            messages.set(Some(result));
        });
    };
    load();
    Effect::new(move |_| browser::set_title(texts.t(AccountKey::OutboxTitle)));

    view! {
        <Frame>
            <h1 id="page-title">{tr(AccountKey::OutboxTitle)}</h1>
            <p>{tr(AccountKey::OutboxIntro)}</p>
            <button id="refresh" class="button" type="button" on:click=move |_| load()>{tr(AccountKey::OutboxRefresh)}</button>
            {move || match messages.get() {
                None => view! { <p aria-busy="true">{tr(Key::Loading)}</p> }.into_any(),
                Some(Err(Failure::Api { code: ErrorCode::NotFound, .. })) => {
                    view! { <p id="outbox-unavailable">{tr(AccountKey::OutboxUnavailable)}</p> }.into_any()
                }
                Some(Err(failure)) => {
                    let problem = Problem::Failed(failure);
                    view! { <Status error=Signal::derive(move || Some(problem.text(texts.language()))) /> }.into_any()
                }
                Some(Ok(list)) if list.is_empty() => view! { <p id="outbox-empty">{tr(AccountKey::OutboxEmpty)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol class="outbox" id="outbox">
                        {list.into_iter().map(|message| view! { <OutboxEntry message /> }).collect_view()}
                    </ol>
                }
                .into_any(),
            }}
        </Frame>
    }
}

#[component]
fn OutboxEntry(message: OutboxMessage) -> impl IntoView {
    let texts = Texts::get();
    let sent = message.sent_date_time.clone();
    view! {
        <li class="outbox-message">
            <h2>{message.subject}</h2>
            <dl>
                <dt>{tr(AccountKey::OutboxTo)}</dt>
                <dd>{message.to}</dd>
                <dt>{tr(AccountKey::OutboxSent)}</dt>
                <dd>{move || browser::local_date_time(&sent, texts.language())}</dd>
            </dl>
            <pre class="outbox-text">{message.text}</pre>
        </li>
    }
}
