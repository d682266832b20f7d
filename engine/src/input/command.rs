//! Recognising a pasted shell command line (`root@mail:~# postconf -n`,
//! `$ host -t MX example.com`) so that parsers can skip it with a note instead of reporting
//! it as broken configuration or reading `host` and `-t` as host names.

use super::chars::first_words;

/// Commands people run to produce the texts peername reads.
const KNOWN: &[&str] = &[
    "cat",
    "delv",
    "dig",
    "drill",
    "echo",
    "grep",
    "head",
    "host",
    "kdig",
    "less",
    "more",
    "nslookup",
    "openssl",
    "postconf",
    "postmap",
    "postqueue",
    "posttls-finger",
    "sudo",
    "tail",
];

/// A command line found in pasted text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShellCommand<'a> {
    /// The command word, as written (`Host`, `postconf`).
    pub command: &'a str,
    /// Byte offset of the command word in the line.
    pub start: usize,
    /// The command line from the command word on.
    pub text: &'a str,
}

/// The command in `line` when it is a shell prompt followed by a command
/// (`user@host:dir# cmd …`, `[user@host dir]$ cmd …`, `$ cmd …`), or when it starts with a
/// known command followed by an option or argument that tools' output never has there.
pub fn shell_command(line: &str) -> Option<ShellCommand<'_>> {
    let (found, n) = first_words::<6>(line);
    let first = found.get(..n).unwrap_or(&[]);
    let command_at = prompt_end(first).or_else(|| bare_command(first))?;
    let &(start, command) = first.get(command_at)?;
    Some(ShellCommand { command, start, text: line.get(start..).unwrap_or("").trim_end() })
}

/// Index of the word after a prompt, if the line starts with one.
fn prompt_end(first: &[(usize, &str)]) -> Option<usize> {
    for (i, &(_, word)) in first.iter().enumerate().take(4) {
        if word.contains('=') {
            return None;
        }
        // A lone `#` or `$` after other words starts an end-of-line comment or is text;
        // a prompt is either first on the line or ends a longer word (`openssl]#`).
        if word.ends_with(['#', '$', '%', '>']) && (i == 0 || word.len() > 1) {
            return (i + 1 < first.len()).then_some(i + 1);
        }
    }
    None
}

/// 0 when the line starts with a known command and an argument that marks it as typed.
fn bare_command(first: &[(usize, &str)]) -> Option<usize> {
    let &(_, word) = first.first()?;
    let &(_, arg) = first.get(1)?;
    let typed = arg.starts_with(['-', '+', '@', '/', '|'])
        || ["mx", "a", "aaaa", "any", "tlsa"].iter().any(|t| t.eq_ignore_ascii_case(arg))
        || word.eq_ignore_ascii_case("sudo");
    (typed && KNOWN.iter().any(|k| k.eq_ignore_ascii_case(word))).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(line: &str) -> Option<(&str, usize)> {
        shell_command(line).map(|c| (c.command, c.start))
    }

    #[test]
    fn prompts() {
        assert_eq!(cmd("root@mail:/etc/postfix# postconf -d | grep mail_version"), Some(("postconf", 24)));
        assert_eq!(cmd("[[email protected] openssl]# Host -t MX fastmail.fm"), Some(("Host", 29)));
        assert_eq!(cmd("$ dig +short mx example.com"), Some(("dig", 2)));
        assert_eq!(cmd("PS C:\\> nslookup -type=mx example.com"), Some(("nslookup", 8)));
    }

    #[test]
    fn bare_commands() {
        assert_eq!(cmd("host -t MX fastmail.fm"), Some(("host", 0)));
        assert_eq!(cmd("dig MX example.com"), Some(("dig", 0)));
        assert_eq!(cmd("postconf -n"), Some(("postconf", 0)));
    }

    #[test]
    fn not_commands() {
        for line in [
            "host",
            "host.example.com mx.example.com",
            "smtpd_banner = $myhostname ESMTP $mail_name",
            "relayhost = [mx]:25 # x$",
            "10 in1-smtp.messagingengine.com.",
            "fastmail.fm mail is handled by 10 in1-smtp.messagingengine.com.",
            "#",
            "",
            "a.example # primary",
        ] {
            assert_eq!(cmd(line), None, "{line}");
        }
    }
}
