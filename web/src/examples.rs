//! The gallery's scenarios: `examples/*.json` at the repository root (see examples/README.md for
//! where their certificates come from and the verdict each one reaches).
//!
//! Only the engine module (`peername-api`) embeds the JSON; the page lists the names and asks the
//! worker for a scenario when one is chosen, so the first load stays small.

/// File stems, in gallery order.
pub const IDS: [&str; 10] = ["fastmail", "fastmail-fixed", "facebook", "hearst", "relay-port", "wildcard-depth", "cn-only", "ip-literal", "fingerprint", "dane"];

/// The scenario JSON of example `id`.
pub fn json(id: &str) -> Option<&'static str> {
    Some(match id {
        "fastmail" => include_str!("../../examples/fastmail.json"),
        "fastmail-fixed" => include_str!("../../examples/fastmail-fixed.json"),
        "facebook" => include_str!("../../examples/facebook.json"),
        "hearst" => include_str!("../../examples/hearst.json"),
        "relay-port" => include_str!("../../examples/relay-port.json"),
        "wildcard-depth" => include_str!("../../examples/wildcard-depth.json"),
        "cn-only" => include_str!("../../examples/cn-only.json"),
        "ip-literal" => include_str!("../../examples/ip-literal.json"),
        "fingerprint" => include_str!("../../examples/fingerprint.json"),
        "dane" => include_str!("../../examples/dane.json"),
        _ => return None,
    })
}
