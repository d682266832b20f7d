//! The `peername` command: a thin shell over the engine (argument parsing, file reading,
//! rendering). No decision logic lives here.

mod args;
mod explain_cmd;
mod inputs;
mod lang;
mod lint_cmd;
mod output;
mod render;
mod replay_cmd;
mod style;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

/// Exit status for bad input (unreadable files, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_BAD_INPUT } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    lang::set(lang::choose(cli.lang.as_deref()));
    let result = match cli.command {
        Command::Explain(a) => explain_cmd::run(a),
        Command::Lint(a) => lint_cmd::run(a),
        Command::Replay(a) => replay_cmd::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(problems) => {
            for p in problems {
                eprintln!("peername: {p}");
            }
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}
