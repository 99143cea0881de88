import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * A line receiver with a 4 KB receive buffer (SO_RCVBUF, which Node cannot
 * set), in a Python child on loopback, that does not read until `resume()`:
 * the sender's window closes after a few kilobytes, while the sender's own
 * send buffer (megabytes) still takes every write. It then reads every
 * connection and records the complete lines it got. It can also reset every
 * connection it holds, unread.
 */
export class TinyWindowReceiver {
  readonly lines = new Set<string>();
  port = 0;
  #child: ChildProcess | undefined;

  async start(): Promise<this> {
    const child = spawn('python3', ['-u', '-c', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#child = child;
    let partial = '';
    let first = true;
    const ready = new Promise<void>((resolve) => {
      child.stdout!.on('data', (d: Buffer) => {
        const text = partial + d.toString('latin1');
        const parts = text.split('\n');
        partial = parts.pop()!;
        for (const l of parts) {
          if (first) {
            first = false;
            this.port = Number(l);
            resolve();
          } else this.lines.add(l);
        }
      });
    });
    await ready;
    return this;
  }

  /** Reads from now on. */
  resume(): void {
    this.#child?.stdin?.write('read\n');
  }

  /** Resets every connection it holds, unread (what their buffers held is lost); resolves a moment later. */
  async reset(): Promise<void> {
    this.#child?.stdin?.write('reset\n');
    await new Promise((r) => setTimeout(r, 200));
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill();
    await exited;
  }
}

const SCRIPT = String.raw`
import select, socket, sys, threading, time
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(('127.0.0.1', 0))
srv.listen(16)
print(srv.getsockname()[1], flush=True)
conns = {}
lock = threading.Lock()
reading = threading.Event()
def acceptor():
    while True:
        c, _ = srv.accept()
        with lock:
            conns[c] = b''
threading.Thread(target=acceptor, daemon=True).start()
def commands():
    import struct
    for line in sys.stdin:
        if line.strip() == 'read':
            reading.set()
        elif line.strip() == 'reset':
            with lock:
                for c in list(conns):
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                    c.close()
                conns.clear()
threading.Thread(target=commands, daemon=True).start()
reading.wait()
while True:
    with lock:
        socks = list(conns)
    if not socks:
        time.sleep(0.01)
        continue
    r, _, _ = select.select(socks, [], [], 0.05)
    for c in r:
        try:
            d = c.recv(65536)
        except OSError:
            d = b''
        with lock:
            if not d:
                conns.pop(c, None)
                c.close()
                continue
            buf = conns[c] + d
            end = buf.rfind(b'\n')
            if end >= 0:
                sys.stdout.buffer.write(buf[:end + 1])
                sys.stdout.buffer.flush()
                buf = buf[end + 1:]
            conns[c] = buf
`;
