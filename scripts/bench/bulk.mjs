// Bulk-transfer traffic generator for scripts/bench/make-capture.sh. Runs INSIDE the benchmark's
// network namespace only (the script binds and connects to 127.0.0.1 there).
//   node bulk.mjs server PORT            accept connections, read until the peer closes, then close
//   node bulk.mjs client PORT CONNS BYTES PARALLEL
//                                        open CONNS connections (PARALLEL at a time), send BYTES on each
import net from 'node:net';

const [mode, portArg, ...rest] = process.argv.slice(2);
const port = Number(portArg);
const HOST = '127.0.0.1';

if (mode === 'server') {
  const srv = net.createServer((s) => {
    s.on('data', () => {});
    s.on('end', () => s.end());
    s.on('error', () => s.destroy());
  });
  srv.listen(port, HOST, () => process.stdout.write('ready\n'));
  process.on('SIGTERM', () => srv.close(() => process.exit(0)));
} else if (mode === 'client') {
  const [conns, bytes, parallel] = rest.map(Number);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let started = 0;
  let done = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const s = net.connect(port, HOST, () => {
        let left = bytes;
        const pump = () => {
          while (left > 0) {
            const n = Math.min(left, chunk.length);
            left -= n;
            if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void s.once('drain', pump);
          }
          s.end();
        };
        pump();
      });
      s.on('data', () => {});
      s.on('close', (hadError) => (hadError ? reject(new Error('connection failed')) : resolve()));
      s.on('error', reject);
    });
  const worker = async () => {
    while (started < conns) {
      started++;
      await one();
      done++;
    }
  };
  const deadline = setTimeout(() => {
    process.stderr.write(`bulk client: time limit reached after ${done} connections\n`);
    process.exit(1);
  }, 300_000);
  await Promise.all(Array.from({ length: Math.min(parallel, conns) }, worker));
  clearTimeout(deadline);
  process.stdout.write(`${done} connections, ${bytes} bytes each\n`);
} else {
  process.stderr.write('usage: bulk.mjs server PORT | client PORT CONNS BYTES PARALLEL\n');
  process.exit(2);
}
