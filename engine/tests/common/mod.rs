//! The scenario the rule tests start from: the seed's certificate (it names
//! `*.messagingengine.com`, never `fastmail.fm`) served for mail to user@fastmail.fm through one
//! MX host, a CA file whose issuer is taken as trusted, and a texthash policy table.

use peername_engine::scenario::{CaTrust, Scenario, ServedChain};

/// The scenario for Postfix `version`, with `main_cf_extra` after the base main.cf (level may,
/// the policy table, a CA file) and `policy` as the table.
pub fn fastmail(version: &str, main_cf_extra: &str, policy: &str) -> Scenario {
    let pem = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/fastmail-replica.pem")).expect("seed certificate");
    Scenario {
        postfix_version: version.into(),
        evaluated_at: Some("2026-11-23T00:00:00Z".into()),
        main_cf: format!("smtp_tls_security_level = may\nsmtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\nsmtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\n{main_cf_extra}"),
        policy_table: policy.into(),
        destination: "user@fastmail.fm".into(),
        mx: "fastmail.fm mail is handled by 10 in1-smtp.messagingengine.com.\n".into(),
        certificates: vec![ServedChain { host: String::new(), pem }],
        ca_trust: CaTrust::Trusted,
        ..Scenario::default()
    }
}
