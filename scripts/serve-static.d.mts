/** Types for scripts/serve-static.mjs (imported by the e2e specs). */
export interface StaticServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** origin + base path, ending in `/` */
  url: string;
  /** Every request answered, in order. */
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}
export function serveStatic(opts: { root: string; base?: string; port?: number; host?: string; cors?: boolean }): Promise<StaticServer>;
