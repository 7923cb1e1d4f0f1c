//! A generated workload for the soak test and the benchmarks: a catalogue of one small
//! specification (`GET /items/{id}`) with as many scenarios and steps as asked, and an
//! in-process HTTP/1.1 server on 127.0.0.1:0 that answers it, with keep-alive, either
//! always well or with faults.
//!
//! With faults, what the server does to a request is a pure function of the seed, the
//! request's `X-Request-Id` (a fresh `{{ $uuid }}` per step, kept across retries) and its
//! scenario's `X-Faults` class, so a test can read each step's fault back from the evidence
//! in the report ([`fault_for`]) and know what verdict and reason the step must have.
//!
//! Shared with `benches/` through `#[path]` (with `server.rs`, whose listener it uses), so
//! it uses only what both have: std, tokio.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Writes the catalogue: `<dir>/soak/1.0.0/...`, `scenarios` scenarios of `steps` steps.
/// Each scenario's first step reads an item and captures its id; the next steps read the
/// item again through the captured id and compare, so captures, templates and skips after
/// a failed capture are all exercised. Ten requirements, covered round-robin.
pub fn write_catalogue(dir: &Path, scenarios: usize, steps: usize) {
    write(dir, scenarios, steps, false);
}

/// The catalogue of [`write_catalogue`], whose steps also send the headers that choose
/// their faults (see [`FaultClass`]): SOAK-010's scenarios get none, SOAK-009's only those
/// that make a step an `error`, the others any.
pub fn write_faulty_catalogue(dir: &Path, scenarios: usize, steps: usize) {
    write(dir, scenarios, steps, true);
}

fn write(dir: &Path, scenarios: usize, steps: usize, faulty: bool) {
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
        let requirement = s % 10 + 1;
        let headers = if faulty {
            let class = FaultClass::of_requirement(requirement).name();
            format!("        headers: {{ X-Request-Id: \"{{{{ $uuid }}}}\", X-Faults: {class} }}\n")
        } else {
            String::new()
        };
        let _ = write!(
            suite,
            "  - id: read-{s}\n    title: {{ sv: Läs {s}, en: Read {s} }}\n    covers: [SOAK-{requirement:03}]\n    steps:\n"
        );
        let _ = write!(
            suite,
            "      - operation: getItem\n        path: {{ id: item-{s} }}\n{headers}        expect:\n          status: 200\n          body:\n            $.id: item-{s}\n            $.count: {{ type: integer, ge: 0 }}\n        capture: {{ id: $.id }}\n"
        );
        for n in 1..steps {
            let _ = write!(
                suite,
                "      - name: read again {n}\n        operation: getItem\n        path: {{ id: \"{{{{ id }}}}\" }}\n{headers}        expect:\n          status: 200\n          body:\n            $.id: \"{{{{ id }}}}\"\n            $.name: {{ matches: \"^item \" }}\n"
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

impl Fault {
    /// Faults that leave the step without a judgeable response: its verdict is `error`.
    pub fn is_error(self) -> bool {
        matches!(self, Fault::Stall | Fault::Reset | Fault::Truncated | Fault::BadHead)
    }
}

/// Which faults a scenario's requests may meet, sent as its `X-Faults` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultClass {
    /// Any fault.
    All,
    /// Only faults that make a step an error.
    Errors,
    /// None: every request is answered well.
    Clean,
}

impl FaultClass {
    pub fn of_requirement(requirement: usize) -> FaultClass {
        match requirement {
            10 => FaultClass::Clean,
            9 => FaultClass::Errors,
            _ => FaultClass::All,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FaultClass::All => "all",
            FaultClass::Errors => "errors",
            FaultClass::Clean => "none",
        }
    }

    pub fn parse(name: &str) -> FaultClass {
        match name {
            "errors" => FaultClass::Errors,
            "none" => FaultClass::Clean,
            _ => FaultClass::All,
        }
    }
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

/// splitmix64's finaliser: spreads a seed and a request id over the faults.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The fault the server applies to a request with this id and class: the same for every
/// attempt at it.
pub fn fault_for(seed: u64, class: FaultClass, request_id: &str) -> Fault {
    let hash = request_id.bytes().fold(seed, |h, b| mix(h ^ u64::from(b)));
    let mut roll = hash % 100;
    let mut drawn = Fault::None;
    for (fault, weight) in MIX {
        if roll < weight {
            drawn = fault;
            break;
        }
        roll -= weight;
    }
    match class {
        FaultClass::All => drawn,
        FaultClass::Errors if drawn.is_error() => drawn,
        FaultClass::Errors | FaultClass::Clean => Fault::None,
    }
}

/// The value of a header in a request head.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()))
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

/// Starts the server. `seed`: `None` answers every request well; `Some` applies
/// [`fault_for`] to each request. `stall` is how long a stalled answer waits (longer than
/// the client's timeout).
pub fn serve(seed: Option<u64>, stall: Duration) -> Server {
    let requests = Arc::new(AtomicU64::new(0));
    let counter = requests.clone();
    let listener = super::server::listen(move |stream| {
        let _ = stream.set_nodelay(true);
        connection(stream, seed, counter.clone(), stall)
    });
    Server { addr: listener.addr, requests, _listener: listener }
}

async fn connection(stream: TcpStream, seed: Option<u64>, counter: Arc<AtomicU64>, stall: Duration) {
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
        let length = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
        if length > 0 {
            let mut body = vec![0; length.min(1 << 20)];
            if reader.read_exact(&mut body).await.is_err() {
                return;
            }
        }
        counter.fetch_add(1, Ordering::Relaxed);
        let id = head.split_whitespace().nth(1).and_then(|p| p.rsplit('/').next()).unwrap_or("").to_string();
        let fault = match (seed, header(&head, "x-request-id")) {
            (Some(seed), Some(request)) => {
                let class = FaultClass::parse(header(&head, "x-faults").unwrap_or("all"));
                fault_for(seed, class, request)
            }
            _ => Fault::None,
        };
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
            // No `id`, so nothing is captured from it either.
            Fault::WrongSchema => answer(stream, "200 OK", "application/json", br#"{"name":7,"count":-1}"#).await,
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
