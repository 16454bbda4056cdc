//! The `nvx` command: parses arguments and hands over to [`nvx::cli`]-style modules.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
