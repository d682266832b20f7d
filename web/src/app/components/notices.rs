//! Messages outside the walk: a removed private key, a link that could not be read or made, a
//! copied link, an unreadable file.

use super::{class_list, use_ctx};
use crate::app::i18n::{t, tf, tf_opt, Lang};
use crate::app::state::{Action, Notice};
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    /// The notices, oldest first.
    pub notices: Vec<Notice>,
}

fn words(lang: Lang, n: &Notice) -> (String, &'static str) {
    match n {
        Notice::PrivateKeyRemoved { .. } => (t(lang, "notice.private-key-removed").into(), "warn"),
        Notice::Permalink { code, message } => (tf_opt(lang, &format!("notice.{code}"), &[]).unwrap_or_else(|| message.clone()), "fail"),
        Notice::LinkWithoutKeys => (t(lang, "notice.link-without-keys").into(), "warn"),
        Notice::LinkCopied { clipboard: true } => (t(lang, "notice.link-copied").into(), "pass"),
        Notice::LinkCopied { clipboard: false } => (t(lang, "notice.link-selected").into(), "info"),
        Notice::File { name, detail } => (tf(lang, "notice.file", &[("name", name), ("detail", detail)]), "fail"),
        Notice::Words { language, detail } => (tf(lang, "notice.words", &[("language", language), ("detail", detail)]), "fail"),
        Notice::PasteCut { pane, size, limit, kept } => (
            tf(lang, "notice.paste-cut", &[("pane", t(lang, pane)), ("size", &size.to_string()), ("limit", &limit.to_string()), ("kept", &kept.to_string())]),
            "warn",
        ),
    }
}

/// The notices.
#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    if props.notices.is_empty() {
        return html! { <div class="notices" role="status" aria-live="polite"></div> };
    }
    html! {
        <div class="notices" role="status" aria-live="polite">
            { for props.notices.iter().enumerate().map(|(i, n)| {
                let (text, class) = words(lang, n);
                let dispatch = ctx.dispatch.clone();
                let dismiss = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Dismiss(i)));
                html! {
                    <p class={class_list(&["notice", class])} data-notice={notice_kind(n)}>
                        <span class="notice-text">{ text }</span>
                        <button type="button" class="button button-quiet button-small" onclick={dismiss} aria-label={t(lang, "notice.dismiss")}>{ "×" }</button>
                    </p>
                }
            }) }
        </div>
    }
}

fn notice_kind(n: &Notice) -> &'static str {
    match n {
        Notice::PrivateKeyRemoved { .. } => "private-key-removed",
        Notice::Permalink { .. } => "permalink",
        Notice::LinkWithoutKeys => "link-without-keys",
        Notice::LinkCopied { .. } => "link-copied",
        Notice::File { .. } => "file",
        Notice::Words { .. } => "words",
        Notice::PasteCut { .. } => "paste-cut",
    }
}
