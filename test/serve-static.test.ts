/**
 * `npm start`'s server (scripts/serve-static.mjs run as a program): the address is printed only
 * once the port is bound, a busy port moves to the next free one and says so, and with no spare
 * ports it stops with a clear message.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { REPO } from './corpora';

/** A TCP server holding a free port. */
function hold(): Promise<{ server: Server; port: number }> {
  return new Promise((ok) => {
    const server = createServer().listen(0, '127.0.0.1', () => ok({ server, port: (server.address() as { port: number }).port }));
  });
}

/** Runs the server until its first stdout line (or its exit); returns that line, stderr and the exit code. */
function serve(args: string[]): Promise<{ line: string; stderr: string; code: number | null; stop: () => void }> {
  return new Promise((ok) => {
    const p = spawn(process.execPath, [join(REPO, 'scripts/serve-static.mjs'), join(REPO, 'public'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    const stop = () => p.kill();
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.trim() !== '');
      if (line) ok({ line, stderr, code: null, stop });
    });
    p.on('exit', (code) => ok({ line: out.trim(), stderr, code, stop }));
  });
}

describe('serve-static as npm start runs it', () => {
  it('announces the URL once bound; the URL answers at that moment', async () => {
    const { server, port } = await hold();
    server.close();
    const r = await serve(['--port', String(port), '--name', 'seqscope']);
    try {
      expect(r.line).toBe(`seqscope is being served at  http://127.0.0.1:${port}/   (Ctrl+C to stop)`);
      const res = await fetch(`http://127.0.0.1:${port}/sample.pcap`);
      expect(res.status).toBe(200);
    } finally {
      r.stop();
    }
  });

  it('a busy port: says so and takes the next free one', async () => {
    const { server, port } = await hold();
    const r = await serve(['--port', String(port), '--next-free', '20', '--name', 'seqscope']);
    try {
      expect(r.stderr).toContain(`port ${port} is in use; trying ${port + 1}`);
      const url = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(r.line);
      expect(Number(url?.[1])).toBeGreaterThan(port);
      expect((await fetch(`${url![0]}sample.pcap`)).status).toBe(200);
    } finally {
      r.stop();
      server.close();
    }
  });

  it('a busy port and no spare: a clear message, exit 1', async () => {
    const { server, port } = await hold();
    try {
      const r = await serve(['--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} is in use (another program is listening). Stop it, or choose another port: PORT=8080 npm start`);
    } finally {
      server.close();
    }
  });
});
