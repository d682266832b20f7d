//! The certificates the engine read from one pane: names, dates and fingerprints.

use super::use_ctx;
use crate::app::i18n::{t, tf};
use peername_engine::report::CertificateView;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct CertificateListProps {
    /// The certificates, leaf first.
    pub certificates: Vec<CertificateView>,
}

/// The list (collapsed: it is reference material).
#[function_component(CertificateList)]
pub fn certificate_list(props: &CertificateListProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    if props.certificates.is_empty() {
        return html! {};
    }
    let n = props.certificates.len().to_string();
    html! {
        <details class="cert-list">
            <summary>{ tf(lang, "certs.read", &[("n", &n)]) }</summary>
            { for props.certificates.iter().map(|c| {
                let role = if c.index == 0 { t(lang, "certs.leaf") } else { t(lang, "certs.intermediate") };
                let mut flags = Vec::new();
                if c.self_signed { flags.push(t(lang, "certs.self-signed")); }
                if c.is_ca { flags.push(t(lang, "certs.ca")); }
                html! {
                    <dl class="cert">
                        <dt>{ tf(lang, "certs.depth", &[("n", &c.index.to_string())]) }</dt>
                        <dd>{ role }{ for flags.iter().map(|f| html! { <span class="badge">{ *f }</span> }) }</dd>
                        <dt>{ t(lang, "certs.subject") }</dt><dd><code>{ c.subject.clone() }</code></dd>
                        <dt>{ t(lang, "certs.issuer") }</dt><dd><code>{ c.issuer.clone() }</code></dd>
                        if !c.dns_names.is_empty() {
                            <dt>{ t(lang, "name-source.dns-san") }</dt><dd><code>{ c.dns_names.join(", ") }</code></dd>
                        }
                        if !c.ip_addresses.is_empty() {
                            <dt>{ t(lang, "name-source.ip-san") }</dt><dd><code>{ c.ip_addresses.join(", ") }</code></dd>
                        }
                        if !c.common_names.is_empty() {
                            <dt>{ t(lang, "name-source.cn") }</dt><dd><code>{ c.common_names.join(", ") }</code></dd>
                        }
                        <dt>{ t(lang, "certs.valid") }</dt><dd><code>{ format!("{} → {}", c.not_before, c.not_after) }</code></dd>
                        <dt>{ t(lang, "certs.cert-sha256") }</dt><dd><code class="fingerprint">{ c.cert_fingerprints.sha256.clone() }</code></dd>
                        <dt>{ t(lang, "certs.pkey-sha256") }</dt><dd><code class="fingerprint">{ c.pkey_fingerprints.sha256.clone() }</code></dd>
                    </dl>
                }
            }) }
        </details>
    }
}
