//! `finance-server`: reads the configuration (`.env` in the working folder,
//! then the environment), opens the store and serves until Ctrl-C or SIGTERM.

use std::path::Path;
use std::process::ExitCode;

use finance_server::{AppState, ServerConfig};

/// mimalloc rather than the system allocator: per-thread free lists suit a
/// server whose requests allocate many small, short-lived strings
/// (BENCHMARKS.md, "Server load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let config = match ServerConfig::load(Some(Path::new(".env"))) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("finance-server: {e}");
            return ExitCode::from(2);
        }
    };
    let state = match AppState::open(&config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("finance-server: the store cannot be opened: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match std::net::TcpListener::bind(config.listen) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("finance-server: cannot listen on {}: {e}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    let running = match finance_server::spawn(&config, state, listener).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("finance-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let scheme = if config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    tracing::info!(url = %format!("{scheme}://{}/api/v1", running.addr), "listening");
    // Stdout for scripts (./dev serve, the schemathesis run): the address only.
    println!("finance-server listening on {scheme}://{}", running.addr);
    if let Some(tls) = &config.tls {
        match finance_server::certificate_fingerprint(&tls.cert) {
            // On stderr (stdout carries the address only): what people compare
            // with what the desktop app shows before trusting this server.
            Some(fp) => eprintln!(
                "finance-server: the certificate's SHA-256 fingerprint is {fp} (the app shows it when you choose this server)"
            ),
            None => eprintln!("finance-server: the certificate's fingerprint could not be read"),
        }
    }
    shutdown_signal().await;
    tracing::info!("shutting down");
    match running.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("finance-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
