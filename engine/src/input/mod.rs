//! Parsers for the texts people paste: main.cf, Postfix table files, MX lists and address
//! records. Each returns what it could read plus diagnostics; none of them fails.
//!
//! Every parser reads text the way Postfix (or the DNS tool that printed it) does, reports
//! what it could not use with a stable code and a byte span, and never panics: binary bytes,
//! NULs, CR LF, byte order marks, invisible characters and very long inputs give diagnostics.

pub mod addresses;
pub mod chars;
pub mod command;
pub mod diagnostics;
pub mod dnsline;
pub mod hostname;
pub mod key_index;
mod lines;
pub mod maincf;
pub mod maincf_expand;
pub mod master;
pub mod mx;
pub mod table;
pub mod table_reader;
pub mod tlsa;

pub use addresses::{parse_addresses, AddressList, AddressRecord};
pub use diagnostics::{locate_linear, DIAGNOSTIC_LIMIT};
pub use hostname::{valid_dns_name, valid_hostaddr, valid_hostname, HostnameProblem};
pub use maincf::{parse_main_cf, MainCf, MainCfParam, ParamOrigin};
pub use mx::{parse_mx, MxFormat, MxList, MxRecord};
pub use table::{fold_key, parse_table, TableEntry, TableEvent, TableFile};
pub use table_reader::TableReader;
