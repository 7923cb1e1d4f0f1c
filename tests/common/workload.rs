//! A generated workload for the soak test and the benchmarks: a catalogue of one small
//! specification (`GET /items/{id}`) with as many scenarios and steps as asked, and an
//! in-process HTTP/1.1 server on 127.0.0.1:0 that answers it, with keep-alive, either
//! always well or with faults drawn from a seeded generator.
//!
//! Shared with `benches/` through `#[path]` (with `server.rs`, whose listener it uses), so
//! it uses only what both have: std, tokio.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Writes the catalogue: `<dir>/soak/1.0.0/...`, `scenarios` scenarios of `steps` steps.
/// Each scenario's first step reads an item and captures its id; the next steps read the
/// item again through the captured id and compare, so captures, templates and skips after
/// a failed capture are all exercised. Ten requirements, covered round-robin.
pub fn write_catalogue(dir: &Path, scenarios: usize, steps: usize) {
    let spec = dir.join("soak/1.0.0");
    std::fs::create_dir_all(spec.join("scenarios")).unwrap();
    let mut requirements = String::new();
    for r in 1..=10 {
        let _ = write!(
            requirements,
            "  - id: SOAK-{r:03}\n    level: must\n    title: {{ sv: Läsa {r}, en: Read {r} }}\n    text: {{ sv: En post SKALL kunna läsas., en: An item MUST be readable. }}\n"
        );
    }
    std::fs::write(
        spec.join("spec.yaml"),
        "id: soak\nversion: 1.0.0\nstatus: active\ndomain: testing\ntitle: { sv: Uthållighet, en: Soak }\nopenapi: openapi.yaml\n",
    )
    .unwrap();
    std::fs::write(spec.join("requirements.yaml"), format!("requirements:\n{requirements}")).unwrap();
    std::fs::write(spec.join("openapi.yaml"), OPENAPI).unwrap();
    let mut suite = String::from("scenarios:\n");
    for s in 0..scenarios {
        let _ = write!(
            suite,
            "  - id: read-{s}\n    title: {{ sv: Läs {s}, en: Read {s} }}\n    covers: [SOAK-{:03}]\n    steps:\n",
            s % 10 + 1
        );
        let _ = write!(
            suite,
            "      - operation: getItem\n        path: {{ id: item-{s} }}\n        expect:\n          status: 200\n          body:\n            $.id: item-{s}\n            $.count: {{ type: integer, ge: 0 }}\n        capture: {{ id: $.id }}\n"
        );
        for n in 1..steps {
            let _ = write!(
                suite,
                "      - name: read again {n}\n        operation: getItem\n        path: {{ id: \"{{{{ id }}}}\" }}\n        expect:\n          status: 200\n          body:\n            $.id: \"{{{{ id }}}}\"\n            $.name: {{ matches: \"^item \" }}\n"
            );
        }
    }
    std::fs::write(spec.join("scenarios/read.yaml"), suite).unwrap();
}

const OPENAPI: &str = r#"openapi: 3.1.0
info: { title: Soak, version: 1.0.0 }
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, minLength: 1 } }
      responses:
        "200":
          description: an item
          content:
            application/json:
              schema:
                type: object
                required: [id, name, count]
                properties:
                  id: { type: string }
                  name: { type: string }
                  count: { type: integer, minimum: 0 }
                  tags: { type: array, items: { type: string } }
        "500":
          description: the server failed
          content:
            application/problem+json:
              schema:
                type: object
                required: [title, status]
                properties:
                  title: { type: string }
                  status: { type: integer }
"#;

/// What the server does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Answers well after a short delay.
    Delay,
    /// Answers well, but after the client's timeout.
    Stall,
    /// Resets the connection without answering.
    Reset,
    /// A 500 with a problem body.
    ServerError,
    /// `application/json` that is not JSON.
    Garbage,
    /// A body shorter than its Content-Length, then the connection closes.
    Truncated,
    /// Valid JSON that breaks the schema.
    WrongSchema,
    /// Bytes that are not an HTTP response at all.
    BadHead,
}

/// Faults, one in how many requests (out of 100): the rest are answered well.
const MIX: [(Fault, u64); 8] = [
    (Fault::Delay, 5),
    (Fault::Stall, 1),
    (Fault::Reset, 6),
    (Fault::ServerError, 6),
    (Fault::Garbage, 5),
    (Fault::Truncated, 5),
    (Fault::WrongSchema, 4),
    (Fault::BadHead, 3),
];

/// splitmix64: small, seeded, good enough to spread faults.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn fault(&mut self) -> Fault {
        let mut roll = self.next() % 100;
        for (fault, weight) in MIX {
            if roll < weight {
                return fault;
            }
            roll -= weight;
        }
        Fault::None
    }
}

pub struct Server {
    pub addr: SocketAddr,
    /// Requests answered (or faulted), in all.
    pub requests: Arc<AtomicU64>,
    _listener: super::server::Listener,
}

impl Server {
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

/// Starts the server. `seed`: `None` answers every request well; `Some` draws faults.
/// `stall` is how long a stalled answer waits (longer than the client's timeout).
pub fn serve(seed: Option<u64>, stall: Duration) -> Server {
    let requests = Arc::new(AtomicU64::new(0));
    let counter = requests.clone();
    let rng = seed.map(|s| Arc::new(Mutex::new(Rng(s))));
    let listener = super::server::listen(move |stream| {
        let _ = stream.set_nodelay(true);
        connection(stream, rng.clone(), counter.clone(), stall)
    });
    Server { addr: listener.addr, requests, _listener: listener }
}

async fn connection(stream: TcpStream, rng: Option<Arc<Mutex<Rng>>>, counter: Arc<AtomicU64>, stall: Duration) {
    let mut reader = BufReader::new(stream);
    loop {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => head.push_str(&line),
            }
            if head.len() > 64 * 1024 {
                return;
            }
        }
        let length = head
            .lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if length > 0 {
            let mut body = vec![0; length.min(1 << 20)];
            if reader.read_exact(&mut body).await.is_err() {
                return;
            }
        }
        counter.fetch_add(1, Ordering::Relaxed);
        let id = head.split_whitespace().nth(1).and_then(|p| p.rsplit('/').next()).unwrap_or("").to_string();
        let fault = rng.as_ref().map(|r| r.lock().unwrap().fault()).unwrap_or(Fault::None);
        let good = format!(r#"{{"id":"{id}","name":"item {id}","count":3,"tags":["a","b"]}}"#);
        let stream = reader.get_mut();
        let written = match fault {
            Fault::None => answer(stream, "200 OK", "application/json", good.as_bytes()).await,
            Fault::Delay => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                answer(stream, "200 OK", "application/json", good.as_bytes()).await
            }
            Fault::Stall => {
                tokio::time::sleep(stall).await;
                answer(stream, "200 OK", "application/json", good.as_bytes()).await
            }
            Fault::Reset => {
                // A zero linger makes the close a reset (RST); with zero it does not block.
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(Duration::ZERO));
                return;
            }
            Fault::ServerError => {
                answer(
                    stream,
                    "500 Internal Server Error",
                    "application/problem+json",
                    br#"{"title":"Internal error","status":500}"#,
                )
                .await
            }
            Fault::Garbage => answer(stream, "200 OK", "application/json", b"<html>oops</html>").await,
            Fault::WrongSchema => answer(stream, "200 OK", "application/json", br#"{"id":7,"count":-1}"#).await,
            Fault::Truncated => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n";
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&good.as_bytes()[..good.len() / 2]).await;
                let _ = stream.shutdown().await;
                return;
            }
            Fault::BadHead => {
                let _ = stream.write_all(b"\x00\xffNOT HTTP AT ALL\r\n\r\n").await;
                let _ = stream.shutdown().await;
                return;
            }
        };
        if written.is_err() {
            return;
        }
    }
}

async fn answer(stream: &mut TcpStream, status: &str, content_type: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len());
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).await
}
