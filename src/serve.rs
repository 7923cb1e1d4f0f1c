//! Serving an axum app in the background: on its own thread and runtime, stopped (and
//! joined) when dropped. Used by the reference vendor, the mock and the tests.

use std::net::SocketAddr;
use std::time::Duration;

pub struct Background {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Binds `addr` (port 0 picks a free port) and serves `app` until dropped.
    pub fn start(addr: SocketAddr, name: &str, app: axum::Router) -> std::io::Result<Background> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name(name.into()).spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
                let shutdown = async move {
                    let _ = rx.await;
                };
                let _ = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
            });
            runtime.shutdown_timeout(Duration::from_millis(100));
        })?;
        Ok(Background { addr, shutdown: Some(tx), thread: Some(thread) })
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
