//! Misbehaving HTTP servers for tests, on 127.0.0.1:0, each on its own runtime thread and
//! stopped when dropped. A handler gets the raw request head and the socket, and answers
//! however badly it likes.
#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub type Handler = Arc<dyn Fn(String, TcpStream) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// A server on 127.0.0.1:0 that hands every accepted connection to a function, on its own
/// runtime thread; stopped when dropped.
pub struct Listener {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn listen<F, Fut>(on_connection: F) -> Listener
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                tokio::select! {
                    _ = &mut rx => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        tokio::spawn(on_connection(stream));
                    }
                }
            }
        });
        rt.shutdown_timeout(std::time::Duration::from_millis(100));
    });
    Listener { addr, shutdown: Some(tx), thread: Some(thread) }
}

pub struct RawServer {
    pub addr: SocketAddr,
    /// Request heads received, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
    _listener: Listener,
}

impl RawServer {
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

pub fn start<F, Fut>(handler: F) -> RawServer
where
    F: Fn(String, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let handler: Handler = Arc::new(move |head, stream| Box::pin(handler(head, stream)));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let recorded = requests.clone();
    let listener = listen(move |mut stream| {
        let handler = handler.clone();
        let recorded = recorded.clone();
        async move {
            let head = read_head(&mut stream).await;
            recorded.lock().unwrap().push(head.clone());
            handler(head, stream).await;
        }
    });
    RawServer { addr: listener.addr, requests, _listener: listener }
}

/// Reads a request: its head and, as its Content-Length says, its body (so that closing the
/// connection afterwards never meets unread bytes, which would turn the close into a reset).
/// Returns the text of both.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buf.len() >= 64 * 1024 {
            break buf.len();
        }
        match stream.read(&mut byte).await {
            Ok(0) | Err(_) => break buf.len(),
            Ok(n) => buf.extend_from_slice(&byte[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(1 << 20);
    while buf.len() < head_end + length {
        match stream.read(&mut byte).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&byte[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Writes a complete response and closes the connection.
pub async fn respond(mut stream: TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.shutdown().await;
}

/// A server answering every request with the same JSON thing.
pub fn good_thing() -> RawServer {
    start(|_, stream| respond(stream, "200 OK", &[("Content-Type", "application/json")], br#"{"name":"thing"}"#))
}
